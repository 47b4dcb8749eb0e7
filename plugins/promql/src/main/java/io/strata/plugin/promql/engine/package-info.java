/**
 * The PromQL engine: {@link io.strata.plugin.promql.engine.PromqlEngine} evaluates instant and range queries over
 * any {@link io.strata.api.storage.Queryable}, with Prometheus 3 semantics. Results are
 * {@link io.strata.plugin.promql.engine.QueryResult}s with warnings and infos; failures are
 * {@link io.strata.plugin.promql.engine.QueryException}s typed like Prometheus's API errors.
 *
 * <p>Internally every instant vector is evaluated over all steps at once, column-wise: one series is a pair of
 * primitive arrays (values and presence per step), so no object is allocated per sample.
 */
package io.strata.plugin.promql.engine;
