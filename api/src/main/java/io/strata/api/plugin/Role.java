package io.strata.api.plugin;

import java.time.Duration;

/**
 * A long-running component of a process (receive, query, store, ...). The kernel starts roles
 * in configuration order and stops them in reverse.
 */
public interface Role {
    /** Starts serving; may return before the role is ready. */
    void start() throws Exception;

    /** True once the role can serve; the process is ready when every role is. */
    boolean ready();

    /** Drains requests and flushes state, within the grace period. */
    void stop(Duration grace) throws Exception;
}
