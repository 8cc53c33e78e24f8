package org.accomplishments.validator.auth;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code validator.web.*}: sessions, login throttling and the first administrator (README "Web UI"). */
@ConfigurationProperties("validator.web")
public class AuthSettings {
    private Duration sessionIdleTimeout = Duration.ofMinutes(30);
    private Duration sessionMaxAge = Duration.ofHours(12);
    private boolean cookieSecure = true;
    private int loginMaxFailures = 5;
    private Duration loginLockout = Duration.ofMinutes(15);
    private int loginAttemptsPerMinute = 10;
    private String adminName = "admin";
    private String adminPasswordHash = "";

    public Duration getSessionIdleTimeout() {
        return sessionIdleTimeout;
    }

    public void setSessionIdleTimeout(Duration sessionIdleTimeout) {
        this.sessionIdleTimeout = sessionIdleTimeout;
    }

    public Duration getSessionMaxAge() {
        return sessionMaxAge;
    }

    public void setSessionMaxAge(Duration sessionMaxAge) {
        this.sessionMaxAge = sessionMaxAge;
    }

    public boolean isCookieSecure() {
        return cookieSecure;
    }

    public void setCookieSecure(boolean cookieSecure) {
        this.cookieSecure = cookieSecure;
    }

    public int getLoginMaxFailures() {
        return loginMaxFailures;
    }

    public void setLoginMaxFailures(int loginMaxFailures) {
        this.loginMaxFailures = loginMaxFailures;
    }

    public Duration getLoginLockout() {
        return loginLockout;
    }

    public void setLoginLockout(Duration loginLockout) {
        this.loginLockout = loginLockout;
    }

    public int getLoginAttemptsPerMinute() {
        return loginAttemptsPerMinute;
    }

    public void setLoginAttemptsPerMinute(int loginAttemptsPerMinute) {
        this.loginAttemptsPerMinute = loginAttemptsPerMinute;
    }

    public String getAdminName() {
        return adminName;
    }

    public void setAdminName(String adminName) {
        this.adminName = adminName;
    }

    public String getAdminPasswordHash() {
        return adminPasswordHash;
    }

    public void setAdminPasswordHash(String adminPasswordHash) {
        this.adminPasswordHash = adminPasswordHash;
    }
}
