package org.accomplishments.validator;

import org.accomplishments.validator.cli.ValidatorCommand;

/** Entry point of the jar: {@code run} (the default), {@code verify}, {@code keys}. See {@link ValidatorCommand}. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        int code = ValidatorCommand.execute(args);
        if (code != ValidatorCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
