package org.accomplishments.validator.cli;

import org.accomplishments.validator.config.StartupRefusal;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Writes the man page, accomplishments-validator(1), in troff from picocli's model of the commands: every command,
 * option and parameter with its description, so the page cannot drift from {@code --help}. The .deb build runs
 * it ({@code java -cp accomplishments-validator.jar org.accomplishments.validator.cli.ManPage FILE}); the exit codes
 * and files are the fixed part.
 */
public final class ManPage {
    private ManPage() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPage OUTPUT.1");
            System.exit(ExitCodes.USAGE);
        }
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }

    static String render() {
        CommandLine root = new CommandLine(new ValidatorCommand());
        StringBuilder out = new StringBuilder();
        out.append(".TH ACCOMPLISHMENTS-VALIDATOR 1 \"\" \"accomplishments-validator\" \"User Commands\"\n");
        out.append(".SH NAME\naccomplishments-validator \\- ")
                .append(text(root.getCommandSpec().usageMessage().description()[0])).append('\n');
        out.append(".SH SYNOPSIS\n.B accomplishments-validator\n[\\fIrun\\fR] [\\fISETTINGS\\fR...]\n.br\n")
                .append(".B accomplishments-validator\n\\fICOMMAND\\fR [\\fISUBCOMMAND\\fR] [\\fIOPTIONS\\fR]"
                        + " [\\fIARGUMENTS\\fR]\n");
        out.append(".SH DESCRIPTION\nThe validation server of an accomplishments (trophies) system: it checks the "
                + "trophies that reach it through file shares with each accomplishment's logic, signs the good ones "
                + "with its OpenPGP key and writes the verdict back into the share. Without a command (or with "
                + "\\fBrun\\fR) it starts the service; the other commands work on the data directory "
                + "(\\fIvalidator.data-dir\\fR) or on files.\n");
        out.append(".SH COMMANDS\n");
        for (CommandLine sub : root.getSubcommands().values()) {
            command(out, sub);
        }
        out.append(".SH EXIT STATUS\n");
        exit(out, ExitCodes.GOOD, "success (verify: a good signature by a pinned key, and the trophy matches)");
        exit(out, ExitCodes.BAD_SIGNATURE, "verify: not a good signature by a pinned key; collections: refused");
        exit(out, ExitCodes.TROPHY_MISMATCH, "verify: the .trophy is missing or differs");
        exit(out, ExitCodes.BINDING_MISMATCH, "verify: wrong share id or owner; collections: nothing found");
        exit(out, ExitCodes.REVOKED, "verify: revoked");
        exit(out, ExitCodes.STALE_REVOCATIONS, "verify: the revocation list is older than one seen before");
        exit(out, StartupRefusal.DATA, "run: a database the service must not use (corrupt, or missing beside a key)");
        exit(out, ExitCodes.USAGE, "wrong arguments");
        exit(out, ExitCodes.NO_INPUT, "a named file cannot be read");
        exit(out, ExitCodes.FAILURE, "anything else went wrong");
        exit(out, ExitCodes.ALREADY_RUNNING, "run: another service already runs on the data directory (it holds "
                + "validator.lock); the message names its PID");
        exit(out, StartupRefusal.CONFIG, "run: a configuration mistake (named with its file and line or property)");
        out.append(".SH FILES\n.TP\n.I /etc/accomplishments-validator/validator.yml\nThe configuration "
                + "(and conf.d/*.yml).\n.TP\n.I /var/lib/accomplishments-validator\nThe data directory of the "
                + "packaged service: database, keys, shares, backups, validator.lock.\n");
        out.append(".SH SEE ALSO\n.BR gpg (1),\n.BR sqop (1);\n"
                + "/usr/share/doc/accomplishments-validator/operations.md\n");
        return out.toString();
    }

    private static void command(StringBuilder out, CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        if (!command.getSubcommands().isEmpty()) {
            out.append(".SS ").append(text(spec.qualifiedName().replaceFirst("^accomplishments-validator ", "")))
                    .append('\n').append(text(String.join(" ", spec.usageMessage().description()))).append('\n');
            for (CommandLine sub : command.getSubcommands().values()) {
                command(out, sub);
            }
            return;
        }
        out.append(".SS ").append(text(spec.qualifiedName().replaceFirst("^accomplishments-validator ", "")));
        for (PositionalParamSpec p : spec.positionalParameters()) {
            out.append(' ').append(text(p.paramLabel()));
        }
        out.append('\n').append(text(String.join(" ", spec.usageMessage().description()))).append('\n');
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            out.append(".TP\n.B ").append(text(String.join(", ", option.names())));
            if (option.arity().max() > 0) {
                out.append(" \\fI").append(text(option.paramLabel())).append("\\fR");
            }
            out.append('\n').append(text(String.join(" ", option.description()))).append('\n');
        }
        String params = spec.positionalParameters().stream()
                .filter(p -> p.description().length > 0 && !String.join("", p.description()).isBlank())
                .map(p -> text(p.paramLabel()) + ": " + text(String.join(" ", p.description())))
                .collect(Collectors.joining("\n.br\n"));
        if (!params.isEmpty()) {
            out.append(".TP\n").append(params).append('\n');
        }
    }

    private static void exit(StringBuilder out, int code, String meaning) {
        out.append(".TP\n.B ").append(code).append('\n').append(text(meaning)).append('\n');
    }

    /** troff-safe text: backslashes, hyphens of options, and no line that starts with a control character. */
    static String text(String s) {
        String escaped = s.replace("\\", "\\e").replace("-", "\\-").replace("\n", " ");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
