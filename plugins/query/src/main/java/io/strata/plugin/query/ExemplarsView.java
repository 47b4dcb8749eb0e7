package io.strata.plugin.query;

import io.strata.api.labels.Labels;
import io.strata.plugin.storeapi.Exemplar;
import io.strata.plugin.storeapi.SeriesExemplars;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The global view's exemplars: asked of every healthy endpoint that serves the Exemplars API, in
 * parallel, and merged as Thanos does. With deduplication the replica labels leave the series
 * labels, so an HA pair's series become one, and an exemplar both replicas saw (same labels, value
 * and time) counts once. A failing endpoint is a warning under partial response, else the error.
 */
public final class ExemplarsView {
    /** The merged exemplars, series sorted by labels and exemplars by time, and the warnings. */
    public record Answer(List<SeriesExemplars> series, List<String> warnings) {
    }

    private final EndpointCalls calls;

    public ExemplarsView(Supplier<List<Endpoint>> endpoints, ExecutorService executor, long timeoutMillis) {
        this.calls = new EndpointCalls(endpoints, executor, timeoutMillis);
    }

    /**
     * @param replicaLabels labels removed from series labels (empty: no deduplication)
     */
    public Answer exemplars(String query, long startMillis, long endMillis, List<String> replicaLabels, boolean partialResponse) {
        List<String> warnings = new ArrayList<>();
        Map<Labels, LinkedHashSet<Exemplar>> merged = new TreeMap<>();
        for (List<SeriesExemplars> answer : calls.each(Endpoint::exemplars, x -> x.exemplars(query, startMillis, endMillis),
                partialResponse, "exemplars", warnings)) {
            for (SeriesExemplars s : answer) {
                merged.computeIfAbsent(s.seriesLabels().without(replicaLabels), k -> new LinkedHashSet<>()).addAll(s.exemplars());
            }
        }
        List<SeriesExemplars> out = new ArrayList<>(merged.size());
        merged.forEach((labels, exemplars) -> {
            List<Exemplar> sorted = new ArrayList<>(exemplars);
            sorted.sort(Comparator.comparingLong(Exemplar::timestampMillis));
            out.add(new SeriesExemplars(labels, sorted));
        });
        return new Answer(out, warnings);
    }
}
