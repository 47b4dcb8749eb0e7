package io.strata.api.storage;

import java.util.List;

/**
 * What the query engine knows about a selection, so a store can prune and push work down.
 * Times are milliseconds; {@code step} and {@code range} are 0 when unknown; {@code function}
 * is empty for a plain selector; {@code limit} is 0 for no limit.
 */
public record SelectHints(long start, long end, long step, String function, List<String> grouping,
                          boolean by, long range, int limit) {
    public SelectHints {
        if (end < start) {
            throw new IllegalArgumentException("hints end " + end + " before start " + start);
        }
        function = function == null ? "" : function;
        grouping = grouping == null ? List.of() : List.copyOf(grouping);
    }

    /** Hints with only a time range. */
    public static SelectHints range(long start, long end) {
        return new SelectHints(start, end, 0, "", List.of(), false, 0, 0);
    }
}
