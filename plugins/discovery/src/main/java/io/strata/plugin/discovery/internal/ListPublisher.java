package io.strata.plugin.discovery.internal;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Hands address lists to a discovery's listener: sorted, without duplicates, and only when the
 * list differs from the one the listener last accepted (the first list is always handed over).
 */
public final class ListPublisher {
    private final Consumer<List<String>> listener;
    private List<String> last;

    public ListPublisher(Consumer<List<String>> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Hands {@code addresses} to the listener if they changed. When the listener throws, the
     * exception propagates and the list counts as not delivered, so the next call hands it again.
     *
     * @return whether the listener was called
     */
    public synchronized boolean publish(Collection<String> addresses) {
        List<String> sorted = List.copyOf(new TreeSet<>(Objects.requireNonNull(addresses, "addresses")));
        if (sorted.equals(last)) {
            return false;
        }
        listener.accept(sorted);
        last = sorted;
        return true;
    }

    /** The list the listener last accepted, or null before the first. */
    public synchronized List<String> last() {
        return last;
    }
}
