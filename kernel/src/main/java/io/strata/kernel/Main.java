package io.strata.kernel;

import io.strata.kernel.cli.Cli;

/** The {@code strata} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = new Cli(System.out, System.err).run(args);
        if (code != Cli.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
