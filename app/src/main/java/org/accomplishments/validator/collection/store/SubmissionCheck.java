package org.accomplishments.validator.collection.store;

import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.CollectionLoader;
import org.accomplishments.validator.collection.LoadProblem;
import org.accomplishments.validator.trophy.Accomplishment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks one commit's tree as a collection release: the tree is safe ({@link CollectionTree}), the manifest valid,
 * the manifest's id names the collection folder, every file loads with the appliance's own {@link CollectionLoader}
 * (written into a private folder first; nothing is run), and every global accomplishment that is not human-issued
 * has an executable logic script. Every reason is collected.
 */
public final class SubmissionCheck {

    /** A tree that passed: what the index records of it. */
    public record Checked(CollectionManifest manifest, String sha256, int files, long bytes, int accomplishments) {
    }

    private SubmissionCheck() {
    }

    public static Checked check(CollectionTree tree, Path workDir) throws StoreRefusal, IOException {
        List<Reason> reasons = new ArrayList<>(tree.problems());
        var manifestFile = tree.file(CollectionManifest.FILE);
        if (manifestFile.isEmpty()) {
            reasons.add(new Reason("manifest-missing", "no " + CollectionManifest.FILE + " at the root of the tree"));
            throw new StoreRefusal(reasons);
        }
        CollectionManifest.Parsed parsed = manifestFile.get().size() > CollectionManifest.MAX_BYTES
                ? new CollectionManifest.Parsed(null, List.of(new Reason("manifest-invalid", "the manifest is larger than "
                        + CollectionManifest.MAX_BYTES + " bytes")))
                : CollectionManifest.parse(tree.bytes(manifestFile.get()));
        reasons.addAll(parsed.problems());
        if (parsed.manifest() == null) {
            throw new StoreRefusal(reasons);
        }
        CollectionManifest manifest = parsed.manifest();
        CollectionTree.Installable installable = tree.installable(manifest.id());
        reasons.addAll(installable.reasons());
        if (!reasons.isEmpty()) {
            // An unsafe tree is never written anywhere, not even into a private folder.
            throw new StoreRefusal(reasons);
        }
        for (CollectionTree.TreeFile file : installable.files()) {
            if (file.path().startsWith("scripts/") && !file.executable()) {
                reasons.add(new Reason("script-not-executable", "'" + file.path() + "' is not executable (git mode 100644;"
                        + " git update-index --chmod=+x)"));
            }
        }
        Files.createDirectories(workDir);
        Path scratch = Files.createTempDirectory(workDir, "check-");
        try {
            Path root = scratch.resolve("tree");
            installable.writeTo(root);
            AccomplishmentCatalog catalog = new CollectionLoader().load(List.of(root));
            for (LoadProblem problem : catalog.problems()) {
                if (problem.reason().startsWith("logic script is not an executable")) {
                    continue; // reported above from the tree's own modes
                }
                reasons.add(new Reason("accomplishment-invalid", root.relativize(problem.file()) + ": " + problem.reason()));
            }
            if (catalog.collection(manifest.id()).isPresent() && catalog.size() == 0) {
                reasons.add(new Reason("accomplishment-invalid", "accomplishments/" + manifest.id()
                        + "/ defines no accomplishment"));
            }
            for (Accomplishment a : catalog.accomplishments()) {
                if (a.needsSigning() && !a.humanIssued() && catalog.logicScript(a.id()).isEmpty()) {
                    reasons.add(new Reason("script-missing", "global accomplishment " + a.id() + " has no logic script"
                            + " scripts/" + a.id().collection() + "/[<set>/]" + a.id().name() + ".<ext>"));
                }
            }
            if (!reasons.isEmpty()) {
                throw new StoreRefusal(reasons);
            }
            return new Checked(manifest, installable.canonicalSha256(), installable.files().size(), installable.bytes(),
                    catalog.size());
        } finally {
            GitSource.deleteTree(scratch);
        }
    }
}
