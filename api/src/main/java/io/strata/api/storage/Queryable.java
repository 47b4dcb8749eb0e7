package io.strata.api.storage;

/** A source of queriers over time ranges. */
public interface Queryable {
    Querier querier(long minTime, long maxTime);
}
