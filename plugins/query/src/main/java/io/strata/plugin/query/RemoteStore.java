package io.strata.plugin.query;

import io.strata.api.labels.Labels;
import io.strata.api.storage.Queryable;
import java.util.List;

/** A connection to one StoreAPI endpoint, as the querier needs it. */
public interface RemoteStore extends AutoCloseable {
    /** What the endpoint announces about itself (Thanos's Info call). */
    record Info(String componentType, List<Labels> labelSets, long minTime, long maxTime) {
    }

    /** Asks the endpoint for its Info; throws when it cannot be reached. */
    Info info() throws Exception;

    /** Reads the endpoint's series. */
    Queryable queryable();

    @Override
    void close();

    /** Connects to endpoints by address. */
    @FunctionalInterface
    interface Connector {
        RemoteStore connect(String address);
    }
}
