package org.accomplishments.validator.web;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.issuing.HumanIssuedTrophies;
import org.accomplishments.validator.issuing.IssuedTrophyRow;
import org.accomplishments.validator.signing.ValidationKeyring;
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

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.accomplishments.validator.collection.store.TestRepository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole workflow in a real browser: Debian's chromium driven by its chromedriver through Selenium (never a
 * downloaded browser). Log in, issue one trophy, bulk-issue from a CSV file, revoke two (each confirmed), award one
 * again, see them on the dashboard, rescan, reload and revalidate as an admin, meet the error pages; the issued
 * {@code .asc} files verify with the real {@code gpg}. Every page is shot at 1280 and 400 px wide into
 * {@code app/target/screenshots/} (README "Web UI") and checked at both widths: no sideways scroll, labelled fields,
 * contrast; the forms' tab order is walked with the Tab key. axe-core is not in the offline Maven mirror, so these
 * checks are written here.
 */
@MicronautTest(transactional = false)
class BrowserEndToEndTest extends WebScenario {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final int PORT = freePort();
    static final Path STORE_KEY = Path.of("target", "browser-test-store-key.asc").toAbsolutePath();

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> moreProperties() {
        return Map.of("micronaut.server.port", Integer.toString(PORT),
                "validator.store.index-url", "http://127.0.0.1:" + PORT + "/api/store/index",
                "validator.store.key-file", STORE_KEY.toString());
    }

    @Inject
    ValidationKeyring keyring;
    @Inject
    HumanIssuedTrophies issued;

    private WebDriver browser;
    private Path profile;

    @BeforeAll
    void startChromium() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("Debian's chromium and chromium-driver are needed (test.sh installs them: apt-get install chromium "
                    + "chromium-driver)");
        }
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // No sandbox as root in a container; no network chatter this machine's closed network would refuse.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--window-size=1280,1400");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
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
    void logInIssueBulkIssueRevokeReissueOperateAndSeeItOnTheDashboard() throws Exception {
        Share alice = newShare("alice", "alice@example.org");
        Share bob = newShare("bob", null);
        Share carol = newShare("carol", null);
        putTrophy(alice, "first", "alice@example.org");
        for (Share s : List.of(alice, bob, carol)) {
            await(() -> registry.find(s.id()).filter(x -> x.accepted()), Duration.ofSeconds(20), s.owner() + " accepted");
        }

        // Log in.
        open("/");
        assertTrue(browser.getCurrentUrl().contains("/login"), "sent to the login page: " + browser.getCurrentUrl());
        page("01-login");
        tabOrderFollowsThePage();
        browser.findElement(By.id("username")).sendKeys("ivy");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        clickAndWait(By.cssSelector("main button[type=submit]"));
        assertTrue(text().contains("Trophies by state"), text());

        // Issue one trophy: search, choose, preview, confirm. Every click waits for the page it leads to.
        open("/issue");
        browser.findElement(By.id("q")).sendKeys("alice");
        clickAndWait(By.cssSelector("form[role=search] button"));
        page("02-issue-search");
        clickAndWait(By.linkText("Choose"));
        browser.findElement(By.cssSelector("#accomplishment option[value='scn/award']")).click();
        browser.findElement(By.id("note")).sendKeys("Organised the 2026 release party");
        browser.findElement(By.id("evidence")).sendKeys("https://example.org/party");
        page("03-issue-form");
        tabOrderFollowsThePage();
        clickAndWait(By.cssSelector("main form button[type=submit]"));
        assertTrue(text().contains("Confirm the trophy"), text());
        page("04-issue-preview");
        clickAndWait(By.cssSelector("main form button[type=submit]"));
        assertTrue(text().contains("Issued: the trophy and its signature are in the share"), text());
        page("05-issued");
        Path asc = alice.folder().resolve("scn/award.trophy.asc");
        assertTrue(Files.exists(asc) && Files.exists(alice.folder().resolve("scn/award.trophy")));
        gpgVerifies(asc);

        // Bulk-issue from a CSV file: dry run, then apply, with progress. The CSRF token is in the body, not the URL.
        Path csv = Files.createTempFile("awards", ".csv");
        Files.writeString(csv, "owner,accomplishment,note\nbob,scn/award,\"helped, a lot\"\ncarol,scn/award,\n"
                + "nobody,scn/award,\nbob,oth/prize,not ivy's to give\n", StandardCharsets.UTF_8);
        open("/bulk");
        page("06-bulk");
        assertFalse(browser.findElement(By.cssSelector("main form[enctype='multipart/form-data']"))
                .getAttribute("action").contains("_csrf"), "the upload's address carries no token");
        browser.findElement(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        clickAndWait(By.cssSelector("main form button[type=submit]"));
        assertTrue(text().contains("Dry run: 4 rows, 2 would be issued, 2 refused"), text());
        assertFalse(browser.getCurrentUrl().contains("_csrf"), browser.getCurrentUrl());
        page("07-bulk-dry-run");
        clickAndWait(By.cssSelector("main form button[type=submit]"));
        String done = await(() -> {
            browser.navigate().refresh();
            return Optional.of(text()).filter(t -> t.contains("Done"));
        }, Duration.ofSeconds(30), "the bulk job is done");
        assertTrue(done.contains("2 issued"), done);
        page("08-bulk-done");
        assertTrue(Files.exists(bob.folder().resolve("scn/award.trophy.asc")));
        gpgVerifies(carol.folder().resolve("scn/award.trophy.asc"));

        // Revoke Bob's and Carol's (issued in error): each asks for confirmation first.
        open("/issued");
        page("09-issued-list");
        IssuedTrophyRow bobs = award(bob);
        IssuedTrophyRow carols = award(carol);
        revoke(bobs.id(), "Bob asked for it to be withdrawn", true);
        assertTrue(text().contains("Bob asked for it to be withdrawn") && text().contains("Revoked:"), text());
        page("11-revoked");
        revoke(carols.id(), "Carol's was a mistake", false);
        assertEquals("REVOKED", issued.find(bobs.id()).orElseThrow().state());
        long carolsRow = await(() -> ledger.current(carol.id()).stream()
                .filter(r -> r.path().equals("scn/award.trophy") && r.state().equals("REVOKED")).findFirst()
                .map(r -> r.id()), Duration.ofSeconds(20), "carol's award revoked in the ledger");

        // Bob's is awarded again: the preview says the revoked award's trophy is replaced.
        open("/issue?share=" + bob.id() + "&accomplishment=scn/award");
        browser.findElement(By.id("note")).sendKeys("Awarded again, rightly this time");
        clickAndWait(By.cssSelector("main form button[type=submit]"));
        assertTrue(text().contains("it is replaced by this one"), text());
        page("12-reissue-preview");
        clickAndWait(By.cssSelector("main form button[type=submit]"));
        assertTrue(text().contains("Issued: the trophy and its signature are in the share"), text());
        assertTrue(Files.readString(bob.folder().resolve("scn/award.trophy")).contains("rightly this time"));
        gpgVerifies(bob.folder().resolve("scn/award.trophy.asc"));

        // The dashboard: revoked is its own state, not signed.
        long aliceAward = await(() -> ledger.current(alice.id()).stream()
                .filter(r -> r.path().equals("scn/award.trophy") && r.state().equals("SIGNED")).findFirst()
                .map(r -> r.id()), Duration.ofSeconds(20), "alice's award signed in the ledger");
        String dashboard = await(() -> {
            open("/");
            return Optional.of(text()).filter(t -> t.contains("scn/award.trophy") && t.contains("revoked\n1"));
        }, Duration.ofSeconds(20), "the dashboard counts the revoked trophy");
        assertTrue(dashboard.contains("Bob asked for it to be withdrawn"), "the revocation on the dashboard: " + dashboard);
        page("13-dashboard");
        open("/trophies/" + carolsRow);
        assertTrue(text().contains("Carol's was a mistake") && text().contains("Revoked: this trophy's award was revoked"),
                text());
        page("14-trophy-revoked");
        open("/trophies?state=revoked");
        assertTrue(text().contains("scn/award.trophy"), text());
        page("15-trophies-revoked");
        open("/trophies/" + aliceAward);
        // Who issued it: in the history, or (when the scanner recorded the files first) in the issuances beside it.
        assertTrue(text().contains("issued by ivy") || text().contains("Issued by people") && text().contains("ivy"),
                text());
        open("/shares");
        page("16-shares");

        // Errors are pages: a page that does not exist, one ivy may not see, a wrong method.
        open("/no/such/page");
        assertTrue(text().contains("There is no page at /no/such/page"), text());
        page("17-error-404");
        open("/admin/users");
        assertTrue(text().contains("403 Forbidden") && text().contains("ivy (issuer) may not do this"), text());
        page("18-error-403");
        open("/admin/rescan");
        assertTrue(text().contains("405 Method Not Allowed"), text());
        page("19-error-405");
        open("/api/revocations");
        assertTrue(browser.getPageSource().contains("BEGIN PGP SIGNED MESSAGE"));
        logInAsAdminOperateAndShootTheAdminPages(aliceAward);
    }

    private IssuedTrophyRow award(Share share) {
        return issued.page(null, 50).stream().filter(r -> r.shareId().equals(share.id())).findFirst().orElseThrow();
    }

    /** Revoke from the award's page: the reason, then the confirmation page, then the award revoked. */
    private void revoke(long id, String reason, boolean shoot) throws IOException {
        open("/issued/" + id);
        if (shoot) {
            page("10-issued-one");
        }
        browser.findElement(By.id("reason")).sendKeys(reason);
        clickAndWait(By.cssSelector("main form button[type=submit]"));
        assertTrue(text().contains("Revoking cannot be undone"), text());
        assertFalse(issued.find(id).orElseThrow().revoked(), "nothing is revoked before the confirmation");
        if (shoot) {
            page("10-revoke-confirm");
            tabOrderFollowsThePage();
        }
        clickAndWait(By.id("confirm-revoke"));
        assertTrue(issued.find(id).orElseThrow().revoked());
    }

    private void logInAsAdminOperateAndShootTheAdminPages(long aliceAward) throws IOException {
        open("/");
        clickAndWait(By.cssSelector("header form button"));
        assertTrue(browser.getCurrentUrl().contains("/login"), browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys("root");
        browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
        clickAndWait(By.cssSelector("main button[type=submit]"));

        // The operator's buttons: rescan, reload, validate again; each is in the audit log.
        open("/shares");
        clickAndWait(By.id("rescan"));
        assertTrue(browser.findElement(By.id("action-message")).getText().contains("rescanned 3 shares"), text());
        page("20-rescanned");
        open("/admin/collections");
        clickAndWait(By.id("reload-collections"));
        assertTrue(browser.findElement(By.id("action-message")).getText().contains("reloaded 2 collections"), text());
        page("21-reloaded");
        open("/trophies/" + aliceAward);
        page("22-trophy-history");
        clickAndWait(By.id("revalidate"));
        assertTrue(browser.getCurrentUrl().endsWith("/trophies/" + aliceAward), browser.getCurrentUrl());
        assertTrue(text().contains("revalidation requested by root in the web UI"), text());
        await(() -> ledger.find(aliceAward).filter(r -> r.state().equals("SIGNED")), Duration.ofSeconds(30),
                "alice's award signed again");

        open("/admin/users");
        page("23-users");
        open("/admin/audit");
        assertTrue(text().contains("revoked") && text().contains("bulk-done") && text().contains("login")
                && text().contains("rescan") && text().contains("reload-collections") && text().contains("revalidate"),
                text());
        page("24-audit-log");
        open("/account");
        page("25-account");
        tabOrderFollowsThePage();
        open("/admin/keys");
        page("26-keys");
        open("/admin/settings");
        page("27-settings");
        open("/admin/revalidate");
        page("28-revalidate");
        submitToTheStoreAndInstall();
    }

    /** The collection store: submit a release (and a refused one) on /store, install it on /admin/collections. */
    private void submitToTheStoreAndInstall() throws IOException {
        Path repoDir = Files.createTempDirectory("store-author-repo");
        try (TestRepository repo = new TestRepository(repoDir)) {
            repo.commit("main", TestRepository.exampleCollection("1.0.0"));
            open("/store");
            browser.findElement(By.id("source")).sendKeys(repo.url());
            browser.findElement(By.id("ref")).clear();
            browser.findElement(By.id("ref")).sendKeys("main");
            clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertTrue(text().contains("Accepted example@1.0.0"), text());
            page("29-store-submitted");
            Map<String, TestRepository.Content> bad = TestRepository.exampleCollection("1.1.0");
            bad.put("scripts/example/registered-email.sh", TestRepository.Content.symlink("/bin/true"));
            repo.commit("main", bad);
            browser.findElement(By.id("source")).clear();
            browser.findElement(By.id("source")).sendKeys(repo.url());
            clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertTrue(text().contains("not-a-regular-file"), text());
            page("30-store-refused");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        Files.writeString(STORE_KEY, keyring.armoredActivePublicKey());
        open("/admin/collections");
        browser.findElement(By.id("id")).sendKeys("example");
        clickAndWait(By.cssSelector("main form:not(.actions) button[type=submit]"));
        assertTrue(text().contains("Installed example 1.0.0"), text());
        page("31-admin-collections-installed");
    }

    private void open(String path) {
        browser.get("http://127.0.0.1:" + server.getPort() + path);
    }

    /**
     * Clicks what leads to another page and waits for that page: the old document is gone (its root element is
     * stale) and the new one has loaded. Reading right after a click raced with the navigation (issue 14).
     */
    private void clickAndWait(By what) {
        WebElement before = browser.findElement(By.tagName("html"));
        browser.findElement(what).click();
        await(() -> {
            try {
                before.isDisplayed();
                return Optional.empty();
            } catch (org.openqa.selenium.WebDriverException gone) {
                return Optional.of(true); // stale, or "does not belong to the document" while it is replaced
            }
        }, Duration.ofSeconds(30), "the page after clicking " + what);
        await(() -> Optional.of(js("return document.readyState")).filter("complete"::equals), Duration.ofSeconds(30),
                "the page after clicking " + what + " loaded");
    }

    private String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /**
     * Screenshots at 1280 and 400 pixels wide, and at both: no sideways scrolling, every field labelled, the text's
     * contrast at least WCAG AA (4.5:1, 3:1 for large text); at 400 px the header takes at most a fifth of the screen.
     */
    private void page(String name) throws IOException {
        for (int width : new int[] {1280, 400}) {
            browser.manage().window().setSize(new Dimension(width, 1000));
            await(() -> Optional.of(((Number) js("return window.innerWidth")).intValue())
                    .filter(w -> Math.abs(w - width) < 40), Duration.ofSeconds(10), "the window is " + width + " wide");
            File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SCREENSHOTS.resolve(name + "-" + width + ".png"), StandardCopyOption.REPLACE_EXISTING);
            @SuppressWarnings("unchecked")
            List<Number> widths = (List<Number>) js("return [document.documentElement.scrollWidth, "
                    + "document.documentElement.clientWidth]");
            assertTrue(widths.get(0).intValue() <= widths.get(1).intValue(), name + " at " + width
                    + " px scrolls sideways: " + widths.get(0) + " px of content in " + widths.get(1) + " px; "
                    + js(WIDEST));
            assertEquals(List.of(), js(UNLABELLED), name + ": form fields without a label");
            assertEquals(List.of(), js(LOW_CONTRAST), name + ": text below the contrast minimum at " + width + " px");
            if (width == 400) {
                double header = ((Number) js("var h = document.querySelector('header');"
                        + "return h ? h.getBoundingClientRect().height : 0")).doubleValue();
                assertTrue(header <= 1000 / 5.0, name + ": the header takes " + header + " px of the first screen");
            }
        }
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    /**
     * Tab walks the page in its reading order: from the top, each Tab focuses the next link, button or field of
     * the document (no tabindex reorders them), beginning with "Skip to content", and the focus is visible.
     */
    private void tabOrderFollowsThePage() {
        Number count = (Number) js("var n = 0; document.querySelectorAll(" + FOCUSABLE + ").forEach(function (e) {"
                + " if (e.getClientRects().length > 0 && !e.disabled) { e.setAttribute('data-tab', n++); } });"
                + " var start = document.createElement('span'); start.id = 'tab-start'; start.tabIndex = -1;"
                + " document.body.insertBefore(start, document.body.firstChild); start.focus(); return n;");
        assertTrue(count.intValue() > 0);
        assertEquals(0L, ((Number) js("return document.querySelectorAll('[tabindex]:not([tabindex=\"-1\"]):not("
                + "[tabindex=\"0\"])').length")).longValue(), "no positive tabindex");
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);
        int steps = Math.min(count.intValue(), 25); // from the top of the page, whatever had the focus (autofocus)
        for (int i = 0; i < steps; i++) {
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            Object at = js("var a = document.activeElement; return a ? a.getAttribute('data-tab') : null");
            assertEquals(Integer.toString(i), at, "Tab number " + (i + 1) + " focuses the element "
                    + js("var a = document.activeElement; return a ? a.outerHTML.substring(0, 120) : ''"));
            if (i == 0) {
                assertEquals("Skip to content", js("return document.activeElement.textContent.trim()"));
            }
            assertTrue(!"none".equals(js("return getComputedStyle(document.activeElement).outlineStyle")),
                    "the focus is visible on " + js("return document.activeElement.outerHTML.substring(0, 120)"));
        }
        js("document.getElementById('tab-start').remove()");
    }

    private static final String FOCUSABLE = "'a[href], button, input:not([type=hidden]), select, textarea, "
            + "[tabindex]:not([tabindex=\"-1\"])'";

    /** The elements wider than the viewport, for the message when a page scrolls sideways. */
    private static final String WIDEST = "var w = document.documentElement.clientWidth, out = [];"
            + "document.querySelectorAll('body *').forEach(function (e) { var r = e.getBoundingClientRect();"
            + " if (r.right > w + 1 && out.length < 5 && !e.parentElement.closest('nav, .scroll, table, pre')) { out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); } });"
            + "return out.join(', ');";

    /** Fields (not hidden) without a label: no label[for], no wrapping label, no aria-label(ledby). */
    private static final String UNLABELLED = "var bad = [];"
            + "document.querySelectorAll('input, select, textarea').forEach(function (e) {"
            + " if (e.type === 'hidden') { return; }"
            + " var labelled = (e.id && document.querySelector('label[for=\"' + CSS.escape(e.id) + '\"]'))"
            + "   || e.closest('label') || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');"
            + " if (!labelled) { bad.push(e.outerHTML.substring(0, 120)); } });"
            + "return bad;";

    /**
     * Every visible element with text of its own against the background it is drawn on (the first ancestor with
     * an opaque background): the WCAG 2 contrast ratio of the two relative luminances.
     */
    private static final String LOW_CONTRAST = "function rgb(c) { var m = c.match(/[\\d.]+/g).map(Number);"
            + " return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }"
            + "function lum(c) { var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92"
            + " : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }"
            + "function bg(e) { for (; e && e.nodeType === 1; e = e.parentElement) {"
            + " var c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0.5) { return c; } }"
            + " return {r: 255, g: 255, b: 255, a: 1}; }"
            + "var bad = [];"
            + "document.querySelectorAll('body *').forEach(function (e) {"
            + " var own = Array.prototype.some.call(e.childNodes, function (n) {"
            + "   return n.nodeType === 3 && n.textContent.trim().length > 0; });"
            + " if (!own || e.getClientRects().length === 0 || e.closest('.skip')) { return; }"
            + " var s = getComputedStyle(e); if (s.visibility === 'hidden') { return; }"
            + " var f = rgb(s.color), b = bg(e);"
            + " if (f.a < 1) { f = {r: f.r * f.a + b.r * (1 - f.a), g: f.g * f.a + b.g * (1 - f.a),"
            + "   b: f.b * f.a + b.b * (1 - f.a)}; }"
            + " var l1 = lum(f), l2 = lum(b), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);"
            + " var size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;"
            + " var min = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;"
            + " if (ratio < min) { bad.push(e.tagName + ' \"' + e.textContent.trim().substring(0, 40) + '\" '"
            + "   + ratio.toFixed(2) + ':1 (' + s.color + ' on rgb(' + b.r + ',' + b.g + ',' + b.b + '))'); } });"
            + "return bad;";

    /** gpg --verify with only the validation keys imported, the way a user checks a trophy. */
    private void gpgVerifies(Path asc) throws Exception {
        Path home = Files.createTempDirectory("gnupg");
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path key = home.resolve("validator.asc");
        Files.writeString(key, keyring.armoredAllPublicKeys());
        assertEquals(0, gpg(home, null, "--import", key.toString()).exit);
        Run verify = gpg(home, asc, "--verify");
        assertEquals(0, verify.exit, verify.output);
        assertTrue(verify.output.contains("Good signature"), verify.output);
    }

    private record Run(int exit, String output) {
    }

    private static Run gpg(Path home, Path stdin, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch",
                "--no-tty"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        if (stdin != null) {
            builder.redirectInput(stdin.toFile()); // stdin: else gpg also looks at the .trophy beside it
        }
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("gpg did not finish");
        }
        return new Run(process.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
