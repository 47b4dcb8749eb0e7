package io.strata.api.plugin;

import java.io.PrintStream;
import java.util.List;

/**
 * A command under {@code strata tools <type> ...}; the factory's type is the first word after
 * {@code tools} (for example {@code tsdb} or {@code promql-test}) and {@link #run} receives the
 * remaining arguments.
 */
public interface Tool {
    /** One line for {@code strata tools --help}. */
    String description();

    /** Runs the command; returns the process exit code (0 success, 1 failure, 2 usage error). */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
