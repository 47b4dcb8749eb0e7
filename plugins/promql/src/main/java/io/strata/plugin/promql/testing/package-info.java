/**
 * Runs Prometheus's PromQL test scripts ({@link io.strata.plugin.promql.testing.PromqlTestRunner}) over an in-memory
 * storage ({@link io.strata.plugin.promql.testing.MemoryStorage}), the {@code promql-test} tool and the
 * {@code promql-bench} benchmark tool.
 */
package io.strata.plugin.promql.testing;
