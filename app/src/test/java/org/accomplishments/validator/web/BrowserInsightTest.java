package org.accomplishments.validator.web;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.overview.VerdictRollup;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The insight pages in a real browser (Debian's chromium, as {@link BrowserEndToEndTest}): the dashboard's charts,
 * last hour and backlog, the trophy list filtered through its form, a share's page, the counts by accomplishment
 * and the issued list. Every step waits for the state of the page it expects (its URL and an element of it), never
 * for a fixed time. Screenshots at 1280 and 400 px wide go to {@code app/target/screenshots/insight-*.png}.
 */
@MicronautTest(transactional = false)
class BrowserInsightTest extends WebScenario {
    private static final Duration PAGE_STATE = Duration.ofSeconds(30);

    @Inject
    VerdictRollup rollup;

    private WebDriver browser;
    private Path profile;

    @BeforeAll
    void startChromium() throws IOException {
        if (!Files.isExecutable(BrowserEndToEndTest.CHROMIUM) || !Files.isExecutable(BrowserEndToEndTest.CHROMEDRIVER)) {
            fail("Debian's chromium and chromium-driver are needed (test.sh installs them: apt-get install chromium "
                    + "chromium-driver)");
        }
        Files.createDirectories(BrowserEndToEndTest.SCREENSHOTS);
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserEndToEndTest.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--window-size=1280,1400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(BrowserEndToEndTest.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1400));
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anIssuerWatchesVerdictsFiltersTrophiesAndOpensAShare() throws Exception {
        Share alice = newShare("alice", "alice@example.org");
        Share bob = newShare("bob", "bob@example.org");
        putTrophy(alice, "first", "alice@example.org");
        putTrophy(bob, "first", "not-bob@example.org");
        awaitState(alice, "first", TrophyState.SIGNED, Duration.ofSeconds(30));
        awaitState(bob, "first", TrophyState.REJECTED, Duration.ofSeconds(30));
        rollup.rollUp();
        rollup.rollUp();

        open("/login", By.id("username"));
        browser.findElement(By.id("username")).sendKeys("ivy");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        awaitPage("/", By.id("chart-hourly"));
        assertTrue(browser.findElements(By.cssSelector("#chart-hourly rect.bar-signed")).size() == 1
                && browser.findElements(By.cssSelector("#chart-daily rect.bar-rejected")).size() == 1,
                "this hour's bar and today's bar show the signed and the rejected trophy");
        assertTrue(browser.findElement(By.id("backlog")).getText().contains("ready"), text());
        shots("insight-01-dashboard", By.id("chart-daily"));

        // The trophy list, narrowed through its form: the click leads to a new page, which is awaited.
        open("/trophies", By.id("trophy-list"));
        WebElement before = browser.findElement(By.id("trophy-list"));
        browser.findElement(By.id("owner")).sendKeys("bob");
        browser.findElement(By.id("state")).findElement(By.cssSelector("option[value=rejected]")).click();
        browser.findElement(By.id("filter")).click();
        waitFor(() -> isStale(before) && browser.getCurrentUrl().contains("owner=bob")
                && !browser.findElements(By.id("trophy-list")).isEmpty(), "the filtered list");
        String filtered = browser.findElement(By.id("trophy-list")).getText();
        assertTrue(filtered.contains(bob.id()) && !filtered.contains(alice.id()), filtered);
        assertTrue(browser.findElement(By.id("csv")).getAttribute("href").contains("/trophies.csv?owner=bob&state=rejected"),
                browser.findElement(By.id("csv")).getAttribute("href"));
        shots("insight-02-trophies-filtered", By.id("trophy-list"));

        // A share's page, reached from the list.
        browser.findElement(By.linkText(bob.id())).click();
        awaitPage("/share", By.id("share-trophies"));
        assertTrue(browser.findElement(By.id("share-counts")).getText().contains("rejected"), text());
        shots("insight-03-share", By.id("share-awards"));

        open("/counts", By.id("accomplishment-counts"));
        assertTrue(browser.findElement(By.id("accomplishment-counts")).getText().contains("scn/first"), text());
        shots("insight-04-counts", By.id("accomplishment-counts"));

        open("/issued?owner=" + URLEncoder.encode("alice", StandardCharsets.UTF_8), By.id("issued-list"));
        shots("insight-05-issued-filtered", By.id("issued-list"));
    }

    private void open(String path, By expected) {
        browser.get("http://127.0.0.1:" + server.getPort() + path);
        awaitPage(path.replaceAll("\\?.*", ""), expected);
    }

    /** Waits until the browser is on that path, the document has loaded and the element is there. */
    private void awaitPage(String path, By expected) {
        waitFor(() -> browser.getCurrentUrl().replaceFirst("^https?://[^/]+", "").replaceAll("\\?.*", "").equals(path)
                && "complete".equals(((JavascriptExecutor) browser).executeScript("return document.readyState"))
                && !browser.findElements(expected).isEmpty(), path + " with " + expected);
    }

    private void waitFor(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + PAGE_STATE.toNanos();
        while (true) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (org.openqa.selenium.StaleElementReferenceException replacedMeanwhile) {
                // the page is being replaced: look again
            }
            if (System.nanoTime() > deadline) {
                fail("waited " + PAGE_STATE.toSeconds() + " s for " + what + "; the browser shows "
                        + browser.getCurrentUrl() + ": " + text());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    private static boolean isStale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException gone) {
            return true;
        }
    }

    /** A screenshot at 1280 and at 400 px wide, each once the page has laid out again at that width. */
    private void shots(String name, By expected) throws IOException {
        for (int width : List.of(1280, 400)) {
            browser.manage().window().setSize(new Dimension(width, 1400));
            waitFor(() -> ((Number) ((JavascriptExecutor) browser).executeScript("return window.innerWidth")).intValue()
                    <= width && browser.findElement(expected).isDisplayed(), name + " at " + width + " px");
            File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), BrowserEndToEndTest.SCREENSHOTS.resolve(name + "-" + width + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        browser.manage().window().setSize(new Dimension(1280, 1400));
    }

    private String text() {
        try {
            return browser.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no page: " + e + ")";
        }
    }
}
