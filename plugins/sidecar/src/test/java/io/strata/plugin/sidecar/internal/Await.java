package io.strata.plugin.sidecar.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition, polling, and fails at a deadline. */
final class Await {
    private Await() {
    }

    static void until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + "s");
            }
            Thread.sleep(10);
        }
    }
}
