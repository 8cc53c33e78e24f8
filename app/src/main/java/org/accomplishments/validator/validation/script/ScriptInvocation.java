package org.accomplishments.validator.validation.script;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request to run a logic script for one trophy.
 *
 * <p>The script path comes from the admin's collection (trusted); everything else comes from a stranger's share and
 * is treated as hostile: it only ever travels as environment values, never through a shell, and values the
 * environment cannot carry faithfully are refused before the script starts (see {@link ScriptOutcome.NotStarted}).
 *
 * @param script          absolute path of the executable logic script
 * @param trophy          absolute path of the {@code .trophy} being validated ({@code ACCOMTROPHYPATH})
 * @param accomplishmentId e.g. {@code ubuntu-community/report-first-bug} ({@code ACCOM_ID})
 * @param shareId         the share's id ({@code ACCOM_SHARE_ID})
 * @param owner           the share's owner ({@code ACCOM_OWNER})
 * @param information     extra-information item name to value, in the order the accomplishment lists them
 *                        (one {@code ACCOM_INFO_<ITEM>} each)
 */
public record ScriptInvocation(
        Path script,
        Path trophy,
        String accomplishmentId,
        String shareId,
        String owner,
        Map<String, String> information) {

    public ScriptInvocation {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(trophy, "trophy");
        Objects.requireNonNull(accomplishmentId, "accomplishmentId");
        Objects.requireNonNull(shareId, "shareId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(information, "information");
        // Relative paths are a bug in the caller, not hostile input: the script would resolve them against its
        // private working directory and silently see nothing.
        if (!script.isAbsolute() || !trophy.isAbsolute()) {
            throw new IllegalArgumentException("script and trophy paths must be absolute: " + script + ", " + trophy);
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        information.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "information item"),
                Objects.requireNonNull(v, "information value of " + k)));
        information = Collections.unmodifiableMap(copy);
    }
}
