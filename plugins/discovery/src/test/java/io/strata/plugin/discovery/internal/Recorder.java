package io.strata.plugin.discovery.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A listener that remembers every list it was handed, and waits for a list with a deadline. */
public final class Recorder implements Consumer<List<String>> {
    /** How long a test waits for something that should happen promptly; a deadline, not a timing. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    private final List<List<String>> calls = new ArrayList<>();

    @Override
    public synchronized void accept(List<String> addresses) {
        calls.add(addresses);
        notifyAll();
    }

    public synchronized List<List<String>> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> last() {
        return calls.isEmpty() ? null : calls.get(calls.size() - 1);
    }

    /** Waits until the last list handed over equals {@code expected}; fails at the deadline. */
    public synchronized void awaitLast(List<String> expected) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!expected.equals(last())) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                fail("expected the list " + expected + " within " + DEADLINE + ", got the calls " + calls);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until {@code condition} holds; fails at the deadline. */
    public static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("expected " + what + " within " + DEADLINE);
            }
            Thread.sleep(5);
        }
    }
}
