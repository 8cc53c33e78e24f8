package org.accomplishments.validator.web;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.cli.VerifyCommand;
import org.accomplishments.validator.issuing.HumanIssuedTrophies;
import org.accomplishments.validator.issuing.IssuedTrophyRow;
import org.accomplishments.validator.signing.SignatureVerifier;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.signing.VerificationResult;
import org.accomplishments.validator.trophy.RevocationList;
import org.accomplishments.validator.validation.TrophyRow;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The issuing workflow through the pages, as a person without JavaScript goes through it. */
@MicronautTest(transactional = false)
class WebUiTest extends WebScenario {

    @Inject
    ValidationKeyring keyring;
    @Inject
    HumanIssuedTrophies issued;

    @Test
    void anIssuerFindsAShareAwardsATrophyAndItVerifiesAsSignedForThatShare() throws Exception {
        Share dana = newShare("dana", null);
        await(() -> registry.find(dana.id()).filter(s -> s.accepted()), Duration.ofSeconds(20), "dana accepted");
        WebSession ivy = loggedIn("ivy", PASSWORD);

        String search = ivy.page("/issue?q=DAN");
        assertTrue(search.contains(dana.id()), search);
        String chosen = ivy.page("/issue?share=" + dana.id());
        assertTrue(chosen.contains("scn/award") && !chosen.contains("oth/prize"), "only what ivy may award: " + chosen);
        HttpResponse<String> preview = ivy.post("/issue/preview", Map.of("share", dana.id(), "accomplishment", "scn/award",
                "note", "Ran the release party", "evidence", "https://example.org/party"));
        assertEquals(200, preview.statusCode(), preview.body());
        assertTrue(preview.body().contains("issued-by = ivy") && preview.body().contains("note = Ran the release party"),
                preview.body());
        assertFalse(Files.exists(dana.folder().resolve("scn/award.trophy")), "a preview writes nothing");

        HttpResponse<String> confirmed = ivy.post("/issue", Map.of("share", dana.id(), "accomplishment", "scn/award",
                "note", "Ran the release party", "evidence", "https://example.org/party"));

        assertEquals(303, confirmed.statusCode(), confirmed.body());
        String location = confirmed.headers().firstValue("Location").orElseThrow();
        String trophy = Files.readString(dana.folder().resolve("scn/award.trophy"));
        String asc = Files.readString(dana.folder().resolve("scn/award.trophy.asc"));
        assertTrue(trophy.startsWith("[trophy]\nversion = 0.2\nid = scn/award\n"), trophy);
        VerificationResult result = new SignatureVerifier().verify(asc, keyring.pinnedKeys());
        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class, result);
        assertTrue(good.signedText().contains("share-id = " + dana.id()) && good.signedText().contains("owner = dana"),
                good.signedText());
        TrophyRow row = await(() -> ledger.current(dana.id()).stream()
                .filter(r -> r.path().equals("scn/award.trophy") && r.trophyState() == TrophyState.SIGNED).findFirst(),
                Duration.ofSeconds(20), "the ledger records the issued trophy as signed");
        assertTrue(ledger.history(row.id()).stream().anyMatch(e -> e.kind().equals("issued")
                        && e.detail().startsWith("issued by ivy")), "recorded as issued by ivy: " + ledger.history(row.id()));
        Thread.sleep(1500); // a rescan or two: the scanner must not process the issued trophy again
        assertEquals(List.of("issued"), ledger.history(row.id()).stream().map(e -> e.kind()).toList());
        String issuedPage = ivy.page(location);
        assertTrue(issuedPage.contains("Issued: the trophy and its signature are in the share"), issuedPage);
        String history = ivy.page("/trophies/" + row.id());
        assertTrue(history.contains("Issued by people") && history.contains("ivy"), history);
        assertEquals(0, verify(dana.folder().resolve("scn/award.trophy.asc"), "--share-id", dana.id()));

        // The same award twice: a conflict (409), and the file in the share stays as it is.
        HttpResponse<String> again = ivy.post("/issue", Map.of("share", dana.id(), "accomplishment", "scn/award"));
        assertEquals(409, again.statusCode());
        assertTrue(again.body().contains("already has scn/award"), again.body());
        assertEquals(trophy, Files.readString(dana.folder().resolve("scn/award.trophy")));
    }

    @Test
    void aRevokedTrophyIsInTheSignedListAndVerifyRefusesIt() throws Exception {
        Share erin = newShare("erin", null);
        await(() -> registry.find(erin.id()).filter(s -> s.accepted()), Duration.ofSeconds(20), "erin accepted");
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        HttpResponse<String> confirmed = root.post("/issue", Map.of("share", erin.id(), "accomplishment", "oth/prize"));
        assertEquals(303, confirmed.statusCode(), confirmed.body());
        long id = Long.parseLong(confirmed.headers().firstValue("Location").orElseThrow().replaceAll("\\D+", " ")
                .strip().split(" ")[0]);
        Path asc = erin.folder().resolve("oth/prize.trophy.asc");
        String listBefore = list();
        assertEquals(0, verify(asc, "--revocations", listBefore));
        long serialBefore = serialOf(Files.readString(Path.of(listBefore)));

        root.page("/issued/" + id);
        // Revoking asks first: the first post only shows what it would do.
        HttpResponse<String> asked = root.post("/issued/" + id + "/revoke", Map.of("reason", "awarded to the wrong Erin"));
        assertEquals(200, asked.statusCode(), asked.body());
        assertTrue(asked.body().contains("Revoking cannot be undone"), asked.body());
        assertFalse(issued.find(id).orElseThrow().revoked(), "nothing is revoked before the confirmation");
        HttpResponse<String> revoked = root.post("/issued/" + id + "/revoke", Map.of("reason", "awarded to the wrong Erin",
                "confirm", "yes"));

        assertEquals(303, revoked.statusCode(), revoked.body());
        IssuedTrophyRow row = issued.find(id).orElseThrow();
        assertTrue(row.revoked());
        String armored = root.getApi("/api/revocations").body();
        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class,
                new SignatureVerifier().verify(armored, keyring.pinnedKeys()));
        RevocationList.Parsed parsed = RevocationList.parse(good.signedText()).orElseThrow();
        assertTrue(parsed.entries().containsKey(row.signedTextSha256()), good.signedText());
        assertFalse(good.signedText().contains("wrong Erin"), "reasons stay private");
        assertEquals(4, verify(asc, "--revocations", list()), "verify names the revoked signature");
        assertTrue(parsed.serial().orElseThrow() > serialBefore, "each revocation moves the list's serial on: "
                + serialBefore + " then " + parsed.serial());
        // The list published before the revocation is now stale for a verifier that saw the newer one.
        Path state = Files.createTempFile("revocations", ".state");
        Files.delete(state);
        assertEquals(4, verify(asc, "--revocations", list(), "--revocations-state", state.toString()));
        assertEquals(5, verify(asc, "--revocations", listBefore, "--revocations-state", state.toString()),
                "the old list, which does not name the revocation, is refused");
        String audit = root.page("/admin/audit");
        assertTrue(audit.contains("revoked") && audit.contains("awarded to the wrong Erin"), audit);
    }

    @Test
    void aBulkFileIsCheckedRowByRowThenApplied() throws Exception {
        Share fay = newShare("fay", null);
        Share gus = newShare("gus", null);
        await(() -> registry.find(gus.id()).filter(s -> s.accepted()).flatMap(s -> registry.find(fay.id()))
                .filter(s -> s.accepted()), Duration.ofSeconds(20), "fay and gus accepted");
        WebSession ivy = loggedIn("ivy", PASSWORD);
        ivy.page("/bulk");
        String csv = "owner,accomplishment,note\n"
                + "fay,scn/award,\"great work, really\"\n"
                + gus.id() + ",scn/award,\n"
                + "nobody,scn/award,\n"
                + "fay,oth/prize,forged: outside ivy's scope\n"
                + "fay,scn/award,twice\n";

        HttpResponse<String> uploaded = ivy.upload("/bulk", "file", "awards.csv", csv);

        assertEquals(303, uploaded.statusCode(), uploaded.body() + uploaded.headers());
        String job = uploaded.headers().firstValue("Location").orElseThrow();
        String dryRun = ivy.page(job);
        assertTrue(dryRun.contains("would be issued"), dryRun);
        assertEquals(2, count(dryRun, ">will-issue<"), dryRun);
        assertTrue(dryRun.contains("no accepted share with that id or owner"), dryRun);
        assertTrue(dryRun.contains("outside your scope"), dryRun);
        assertTrue(dryRun.contains("the same share and accomplishment as line 2"), dryRun);
        assertFalse(Files.exists(fay.folder().resolve("scn/award.trophy")), "a dry run writes nothing");

        HttpResponse<String> applied = ivy.post(job + "/apply", Map.of());
        assertEquals(303, applied.statusCode(), applied.body());
        String done = await(() -> Optional.of(ivy.page(job)).filter(p -> p.contains(">Done<")), Duration.ofSeconds(30),
                "the bulk job finishes");
        assertEquals(2, count(done, ">issued<"), done);
        assertTrue(Files.readString(fay.folder().resolve("scn/award.trophy")).contains("note = great work, really"));
        assertTrue(Files.exists(gus.folder().resolve("scn/award.trophy.asc")));
    }

    @Test
    void aMalformedBulkFileIsRefusedNamingTheLineAndTheTokenNeverTravelsInTheAddress() throws Exception {
        WebSession ivy = loggedIn("ivy", PASSWORD);
        String form = ivy.page("/bulk");
        assertFalse(form.contains("_csrf="), "the form's address carries no token: " + form);
        String csv = "owner,accomplishment,note\nfay,scn/award,fine\nfay,scn/award,\"never closed\n";

        HttpResponse<String> refused = ivy.upload("/bulk", "file", "broken.csv", csv);

        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("line 3") && refused.body().contains("quoted field is never closed"),
                refused.body());
        assertFalse(refused.body().contains("_csrf="), "no address with the token is echoed");
        String quoteInside = "fay,scn/award,\"a\"b\n";
        HttpResponse<String> second = ivy.upload("/bulk", "file", "broken2.csv", quoteInside);
        assertEquals(422, second.statusCode(), second.body());
        assertTrue(second.body().contains("line 1"), second.body());

        // The token in the address (the old form) or missing from the body is refused.
        String token = ivy.lastCsrf;
        ivy.lastCsrf = null;
        assertEquals(403, ivy.upload("/bulk?_csrf=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8), "file",
                "a.csv", "fay,scn/award,\n").statusCode());
        assertEquals(403, ivy.upload("/bulk", "file", "a.csv", "fay,scn/award,\n").statusCode());
        ivy.lastCsrf = token;
    }

    @Test
    void theDashboardShowsCountsVerdictsSharesAndTheKey() {
        Share hal = newShare("hal", "hal@example.org");
        putTrophy(hal, "first", "hal@example.org");
        awaitState(hal, "first", TrophyState.SIGNED);
        WebSession vic = loggedIn("vic", PASSWORD);

        String dashboard = vic.page("/");

        assertTrue(dashboard.contains("Trophies by state") && dashboard.contains("Recent verdicts"), dashboard);
        assertTrue(dashboard.contains(keyring.active().fingerprint()), dashboard);
        assertTrue(dashboard.contains("scn/first.trophy"), dashboard);
        assertTrue(dashboard.contains(">up<"), "backend health: " + dashboard);
        String trophies = vic.page("/trophies?state=signed");
        assertTrue(trophies.contains("scn/first.trophy"), trophies);
        assertTrue(vic.page("/shares").contains("hal"));
        assertEquals(403, vic.get("/issue").statusCode(), "a viewer does not issue");
        assertEquals(403, vic.get("/admin/users").statusCode(), "a viewer does not administer");
    }

    @Test
    void anAdminRotatesTheKeyAndSeesTheSettingsWithoutSecrets() {
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        String before = keyring.active().fingerprint();
        root.page("/admin/keys");

        HttpResponse<String> rotated = root.post("/admin/keys/rotate", Map.of("algorithm", "ed25519"));

        assertEquals(200, rotated.statusCode(), rotated.body());
        assertFalse(before.equals(keyring.active().fingerprint()));
        assertTrue(rotated.body().contains(before) && rotated.body().contains("retired"), rotated.body());
        assertTrue(root.page("/admin/audit").contains("key-rotated"));
        String settings = root.page("/admin/settings");
        assertTrue(settings.contains("validator.web.session-idle-timeout"), settings);
        assertFalse(settings.contains("test-token"), "the operator token is not shown");
        assertFalse(settings.contains("$argon2id$"), "nor the admin's hash");
        assertEquals(403, loggedIn("ivy", PASSWORD).get("/admin/keys").statusCode());
    }

    private void awaitState(Share share, String name, TrophyState state) {
        await(() -> ledger.current(share.id()).stream().filter(r -> r.path().equals("scn/" + name + ".trophy")
                && r.trophyState() == state).findFirst(), Duration.ofSeconds(20), name + " " + state);
    }

    private long serialOf(String armored) {
        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class,
                new SignatureVerifier().verify(armored, keyring.pinnedKeys()));
        return RevocationList.parse(good.signedText()).orElseThrow().serial().orElseThrow();
    }

    private String list() throws Exception {
        Path file = Files.createTempFile("revocations", ".asc");
        Files.writeString(file, browser().getApi("/api/revocations").body(), StandardCharsets.UTF_8);
        return file.toString();
    }

    private Path key() throws Exception {
        Path file = Files.createTempFile("validator", ".asc");
        Files.writeString(file, keyring.armoredAllPublicKeys(), StandardCharsets.UTF_8);
        return file;
    }

    private int verify(Path asc, String... more) throws Exception {
        String[] args = new String[more.length + 3];
        args[0] = "--key";
        args[1] = key().toString();
        System.arraycopy(more, 0, args, 2, more.length);
        args[args.length - 1] = asc.toString();
        return new CommandLine(new VerifyCommand()).execute(args);
    }

    static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
