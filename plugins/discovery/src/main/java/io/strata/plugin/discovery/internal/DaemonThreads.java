package io.strata.plugin.discovery.internal;

/** The background threads of discoveries: daemon threads, named after their discovery. */
final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Starts a daemon thread called {@code strata-discovery-<name>}. */
    static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, "strata-discovery-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
