package io.strata.plugin.query;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.Queryable;
import io.strata.plugin.storeapi.ExemplarSource;
import io.strata.plugin.storeapi.MetricMetadataSource;
import java.util.List;

/**
 * A data source the querier fans out to, as last seen by the health check: its address, the
 * external label sets and time range it announced, a {@link Queryable} over it, and its metric
 * metadata and exemplars when it serves the Metadata and Exemplars APIs (else null).
 */
public record Endpoint(String address, String componentType, List<Labels> labelSets, long minTime, long maxTime,
                       Queryable queryable, MetricMetadataSource metadata, ExemplarSource exemplars) {
    public Endpoint {
        labelSets = List.copyOf(labelSets);
    }

    /** An endpoint without metric metadata or exemplars. */
    public Endpoint(String address, String componentType, List<Labels> labelSets, long minTime, long maxTime, Queryable queryable) {
        this(address, componentType, labelSets, minTime, maxTime, queryable, null, null);
    }

    /** True when the endpoint may hold data for the range (Thanos's time-based pruning). */
    boolean overlaps(long start, long end) {
        return minTime <= end && maxTime >= start;
    }

    /**
     * True when some external label set could match the matchers (Thanos's label-based pruning):
     * a matcher on an external label name must accept that label's value.
     */
    boolean mayMatch(Matcher[] matchers) {
        if (labelSets.isEmpty()) {
            return true;
        }
        for (Labels set : labelSets) {
            boolean ok = true;
            for (Matcher m : matchers) {
                if (set.has(m.name()) && !m.matches(set.get(m.name()))) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }
}
