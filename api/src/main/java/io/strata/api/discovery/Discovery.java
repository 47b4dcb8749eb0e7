package io.strata.api.discovery;

import java.util.List;
import java.util.function.Consumer;

/** Finds the addresses of endpoints (StoreAPI servers, receivers, ...). */
public interface Discovery extends AutoCloseable {
    /**
     * Starts discovering; {@code listener} receives the whole current address list each time it
     * changes (and once at start).
     */
    void start(Consumer<List<String>> listener) throws Exception;

    @Override
    void close();
}
