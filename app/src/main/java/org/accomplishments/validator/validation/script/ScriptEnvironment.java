package org.accomplishments.validator.validation.script;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the complete environment of a script run. Nothing of the service's own environment is inherited: the
 * service's may hold database passwords, key passphrases or proxy settings, and a script needs none of them.
 */
final class ScriptEnvironment {

    /** The names every run gets, besides one {@code ACCOM_INFO_<ITEM>} per information item. */
    static final java.util.List<String> FIXED_NAMES = java.util.List.of(
            "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE",
            "ACCOMTROPHYPATH", "ACCOM_ID", "ACCOM_SHARE_ID", "ACCOM_OWNER");

    /** Either the environment to use or why the script must not be started with these inputs. */
    sealed interface Built {
        record Ready(Map<String, String> variables) implements Built {
        }

        record Refused(String reason) implements Built {
        }
    }

    private ScriptEnvironment() {
    }

    /**
     * The variable for an item: upper-cased, and every character outside {@code [A-Z0-9]} turned into {@code _}
     * (formats.md names {@code -}; anything else could not be a portable shell variable name).
     */
    static String infoVariable(String item) {
        StringBuilder name = new StringBuilder("ACCOM_INFO_");
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            char up = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
            name.append((up >= 'A' && up <= 'Z') || (up >= '0' && up <= '9') ? up : '_');
        }
        return name.toString();
    }

    static Built build(ScriptSettings settings, ScriptInvocation invocation, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", settings.searchPath());
        // The script's HOME and TMPDIR are its private run directory, so tools that write caches or temp files
        // (python, curl, gpg) write there and it all disappears with the run.
        env.put("HOME", workDir.toString());
        env.put("TMPDIR", workDir.toString());
        env.put("LANG", settings.locale());
        env.put("LC_ALL", settings.locale());
        env.put("PYTHONPATH", settings.pythonPath().toString());
        // The stand-in directory is shared between runs; no run may write bytecode into it.
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("ACCOMTROPHYPATH", invocation.trophy().toString());
        env.put("ACCOM_ID", invocation.accomplishmentId());
        env.put("ACCOM_SHARE_ID", invocation.shareId());
        env.put("ACCOM_OWNER", invocation.owner());

        Map<String, String> itemOfVariable = new LinkedHashMap<>();
        for (Map.Entry<String, String> info : invocation.information().entrySet()) {
            String item = info.getKey();
            if (item.isEmpty()) {
                return new Built.Refused("an information item has an empty name");
            }
            String variable = infoVariable(item);
            String earlier = itemOfVariable.putIfAbsent(variable, item);
            if (earlier != null) {
                // "a-b" and "a_b" would silently share one variable; the script would see only one value.
                return new Built.Refused("information items '" + earlier + "' and '" + item
                        + "' would both be passed as " + variable);
            }
            env.put(variable, info.getValue());
        }

        Optional<String> problem = unpassable(env);
        return problem.<Built>map(Built.Refused::new).orElseGet(() -> new Built.Ready(env));
    }

    /**
     * An environment entry is a C string: a NUL would cut the value short (or the JDK refuses it), and a character
     * the JVM's native encoding cannot express (a JVM started with LANG=C encodes as ASCII on Java 17) would be
     * silently turned into '?'. Either way the script would judge a value the user did not send, so refuse.
     */
    private static Optional<String> unpassable(Map<String, String> env) {
        CharsetEncoder encoder = nativeEncoding().newEncoder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            if (value.indexOf('\0') >= 0) {
                return Optional.of(e.getKey() + " contains a NUL character");
            }
            if (!encoder.canEncode(value)) {
                return Optional.of(e.getKey() + " contains characters the service's native encoding ("
                        + encoder.charset().name() + ") cannot pass; run the service with a UTF-8 locale");
            }
        }
        return Optional.empty();
    }

    private static Charset nativeEncoding() {
        // sun.jnu.encoding is what the JDK uses for arguments and environment of child processes.
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException unknown) {
            return Charset.defaultCharset();
        }
    }
}
