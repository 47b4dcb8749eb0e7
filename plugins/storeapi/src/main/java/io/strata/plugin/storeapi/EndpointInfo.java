package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import java.util.List;
import java.util.Objects;

/**
 * What a StoreAPI endpoint reports about itself through the Info service.
 *
 * @param componentType                what the endpoint is: query, rule, sidecar, store, receive, ...
 * @param labelSets                    its external label sets
 * @param storeApi                     true when it serves the Store API (the fields below are then set)
 * @param minTime                      the first millisecond of its data (inclusive)
 * @param maxTime                      the last millisecond of its data (inclusive)
 * @param supportsWithoutReplicaLabels true when it honours {@code without_replica_labels}
 * @param supportsSharding             true when it honours shard information
 * @param metricMetadata               true when it serves the Metadata API
 * @param exemplars                    true when it serves the Exemplars API
 */
public record EndpointInfo(String componentType, List<Labels> labelSets, boolean storeApi, long minTime, long maxTime,
                           boolean supportsWithoutReplicaLabels, boolean supportsSharding, boolean metricMetadata,
                           boolean exemplars) {
    public EndpointInfo {
        Objects.requireNonNull(componentType, "componentType");
        labelSets = List.copyOf(labelSets);
    }
}
