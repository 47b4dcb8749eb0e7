package io.strata.plugin.query;

import io.strata.api.labels.Labels;
import io.strata.api.storage.Queryable;
import io.strata.plugin.storeapi.ExemplarSource;
import io.strata.plugin.storeapi.MetricMetadataSource;
import java.util.List;
import java.util.Map;

/** A connection to one StoreAPI endpoint, as the querier needs it. */
public interface RemoteStore extends AutoCloseable {
    /**
     * What the endpoint announces about itself (Thanos's Info call); {@code metricMetadata} and
     * {@code exemplars}: it serves the Metadata and Exemplars APIs.
     */
    record Info(String componentType, List<Labels> labelSets, long minTime, long maxTime, boolean metricMetadata,
                boolean exemplars) {
        public Info(String componentType, List<Labels> labelSets, long minTime, long maxTime) {
            this(componentType, labelSets, minTime, maxTime, false, false);
        }
    }

    /** Asks the endpoint for its Info; throws when it cannot be reached. */
    Info info() throws Exception;

    /** Reads the endpoint's series. */
    Queryable queryable();

    /** Reads the endpoint's metric metadata (asked only of endpoints whose Info says they serve it). */
    default MetricMetadataSource metricMetadata() {
        return (metric, limit) -> Map.of();
    }

    /** Reads the endpoint's exemplars (asked only of endpoints whose Info says they serve them). */
    default ExemplarSource exemplars() {
        return (query, start, end) -> List.of();
    }

    @Override
    void close();

    /** Connects to endpoints by address. */
    @FunctionalInterface
    interface Connector {
        RemoteStore connect(String address);
    }
}
