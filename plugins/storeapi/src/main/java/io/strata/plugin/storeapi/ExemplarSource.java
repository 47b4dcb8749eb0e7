package io.strata.plugin.storeapi;

import java.util.List;

/** Where exemplars come from: a Prometheus (through a sidecar), a StoreAPI endpoint, or the global view. */
@FunctionalInterface
public interface ExemplarSource {
    /**
     * The exemplars, between {@code startMillis} and {@code endMillis} inclusive, of the series the
     * selectors of the PromQL {@code query} select.
     *
     * @throws Exception when the source cannot answer
     */
    List<SeriesExemplars> exemplars(String query, long startMillis, long endMillis) throws Exception;
}
