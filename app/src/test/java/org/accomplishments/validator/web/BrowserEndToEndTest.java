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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole workflow in a real browser: Debian's chromium driven by its chromedriver through Selenium (never a
 * downloaded browser). Log in, issue one trophy, bulk-issue from a CSV file, revoke one, see it on the dashboard;
 * the issued {@code .asc} verifies with the real {@code gpg}. Screenshots of the main pages go to
 * {@code app/target/screenshots/} (README "Web UI").
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
    void logInIssueBulkIssueRevokeAndSeeItOnTheDashboard() throws Exception {
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
        shot("01-login");
        browser.findElement(By.id("username")).sendKeys("ivy");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        assertTrue(text().contains("Trophies by state"), text());

        // Issue one trophy: search, choose, preview, confirm.
        open("/issue");
        browser.findElement(By.id("q")).sendKeys("alice");
        browser.findElement(By.cssSelector("form[role=search] button")).click();
        shot("02-issue-search");
        browser.findElement(By.linkText("Choose")).click();
        browser.findElement(By.cssSelector("#accomplishment option[value='scn/award']")).click();
        browser.findElement(By.id("note")).sendKeys("Organised the 2026 release party");
        browser.findElement(By.id("evidence")).sendKeys("https://example.org/party");
        shot("03-issue-form");
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        assertTrue(text().contains("Confirm the trophy"), text());
        shot("04-issue-preview");
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        assertTrue(text().contains("Issued: the trophy and its signature are in the share"), text());
        shot("05-issued");
        Path asc = alice.folder().resolve("scn/award.trophy.asc");
        assertTrue(Files.exists(asc) && Files.exists(alice.folder().resolve("scn/award.trophy")));
        gpgVerifies(asc);

        // Bulk-issue from a CSV file: dry run, then apply, with progress.
        Path csv = Files.createTempFile("awards", ".csv");
        Files.writeString(csv, "owner,accomplishment,note\nbob,scn/award,\"helped, a lot\"\ncarol,scn/award,\n"
                + "nobody,scn/award,\nbob,oth/prize,not ivy's to give\n", StandardCharsets.UTF_8);
        open("/bulk");
        browser.findElement(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        assertTrue(text().contains("Dry run: 4 rows, 2 would be issued, 2 refused"), text());
        shot("06-bulk-dry-run");
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        String done = await(() -> {
            browser.navigate().refresh();
            return Optional.of(text()).filter(t -> t.contains("Done"));
        }, Duration.ofSeconds(30), "the bulk job is done");
        assertTrue(done.contains("2 issued"), done);
        shot("07-bulk-done");
        assertTrue(Files.exists(bob.folder().resolve("scn/award.trophy.asc")));
        gpgVerifies(carol.folder().resolve("scn/award.trophy.asc"));

        // Revoke Bob's (issued in error).
        open("/issued");
        shot("08-issued-list");
        IssuedTrophyRow bobs = issued.page(null, 50).stream().filter(r -> r.shareId().equals(bob.id())).findFirst()
                .orElseThrow();
        open("/issued/" + bobs.id());
        browser.findElement(By.id("reason")).sendKeys("Bob asked for it to be withdrawn");
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        assertTrue(text().contains("Bob asked for it to be withdrawn"), text());
        shot("09-revoked");

        // See it on the dashboard: the issued trophies are signed in the ledger; the trophy page shows the revocation.
        long aliceAward = await(() -> ledger.current(alice.id()).stream()
                .filter(r -> r.path().equals("scn/award.trophy") && r.state().equals("SIGNED")).findFirst()
                .map(r -> r.id()), Duration.ofSeconds(20), "alice's award signed in the ledger");
        await(() -> {
            open("/");
            return Optional.of(text()).filter(t -> t.contains("scn/award.trophy"));
        }, Duration.ofSeconds(20), "the dashboard shows the issued trophy");
        assertTrue(text().contains("Bob asked for it to be withdrawn"), "the revocation on the dashboard: " + text());
        shot("10-dashboard");
        long bobAward = ledger.current(bob.id()).stream().filter(r -> r.path().equals("scn/award.trophy"))
                .findFirst().orElseThrow().id();
        open("/trophies/" + bobAward);
        assertTrue(text().contains("Bob asked for it to be withdrawn"), text());
        shot("11-trophy-history");
        open("/trophies/" + aliceAward);
        assertTrue(text().contains("issued by ivy"), text());
        open("/api/revocations");
        assertTrue(browser.getPageSource().contains("BEGIN PGP SIGNED MESSAGE"));
        logOutAndShootTheAdminPages();
    }

    private void logOutAndShootTheAdminPages() throws IOException {
        open("/");
        browser.findElement(By.cssSelector("header form button")).click();
        assertTrue(browser.getCurrentUrl().contains("/login"), browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys("root");
        browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        open("/admin/users");
        shot("12-users");
        open("/admin/audit");
        assertTrue(text().contains("revoked") && text().contains("bulk-done") && text().contains("login"), text());
        shot("13-audit-log");
        open("/account");
        shot("14-account");
        open("/admin/keys");
        shot("15-keys");
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
            browser.findElement(By.cssSelector("main form button[type=submit]")).click();
            assertTrue(text().contains("Accepted example@1.0.0"), text());
            shot("16-store-submitted");
            Map<String, TestRepository.Content> bad = TestRepository.exampleCollection("1.1.0");
            bad.put("scripts/example/registered-email.sh", TestRepository.Content.symlink("/bin/true"));
            repo.commit("main", bad);
            browser.findElement(By.id("source")).clear();
            browser.findElement(By.id("source")).sendKeys(repo.url());
            browser.findElement(By.cssSelector("main form button[type=submit]")).click();
            assertTrue(text().contains("not-a-regular-file"), text());
            shot("17-store-refused");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        Files.writeString(STORE_KEY, keyring.armoredActivePublicKey());
        open("/admin/collections");
        browser.findElement(By.id("id")).sendKeys("example");
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        assertTrue(text().contains("Installed example 1.0.0"), text());
        shot("18-admin-collections-installed");
    }

    private void open(String path) {
        browser.get("http://127.0.0.1:" + server.getPort() + path);
    }

    /**
     * The page's text; a page still being replaced by the one a click led to (on a busy machine the old body goes
     * before the new one is there) is read again once it has loaded.
     */
    private String text() {
        for (int attempt = 0; ; attempt++) {
            try {
                return browser.findElement(By.tagName("body")).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException
                     | org.openqa.selenium.NoSuchElementException replaced) {
                if (attempt == 20) {
                    throw replaced;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw replaced;
                }
            }
        }
    }

    private void shot(String name) throws IOException {
        File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

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
