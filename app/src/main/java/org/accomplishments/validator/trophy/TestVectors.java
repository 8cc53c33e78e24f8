package org.accomplishments.validator.trophy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test vectors for a logic script, {@code tests/<collection>/[<set>/]<name>}: extra-information values for
 * which the script must answer accomplished ({@code [success]}) and not accomplished ({@code [failure]}).
 * They exist to notice when an external service the script asks has changed.
 */
public record TestVectors(Map<String, String> success, Map<String, String> failure) {

    public TestVectors {
        success = Collections.unmodifiableMap(new LinkedHashMap<>(success));
        failure = Collections.unmodifiableMap(new LinkedHashMap<>(failure));
    }

    /**
     * Parses with {@link KeyFile.Duplicates#LAST_WINS}, as the 2012 tools read collection files. Both sections
     * are required: a vector file with only one side cannot show a change.
     */
    public static ParseResult<TestVectors> parse(String text) {
        return KeyFile.parse(text, KeyFile.Duplicates.LAST_WINS).flatMap(TestVectors::read);
    }

    /** Reads test vectors from an already parsed key file (whatever its duplicate mode). */
    public static ParseResult<TestVectors> read(KeyFile file) {
        var success = file.section("success");
        if (success.isEmpty()) {
            return ParseResult.malformed("no [success] section");
        }
        var failure = file.section("failure");
        if (failure.isEmpty()) {
            return ParseResult.malformed("no [failure] section");
        }
        return ParseResult.parsed(new TestVectors(success.get().entries(), failure.get().entries()));
    }
}
