/** Numeric kernels of PromQL functions: range-window functions, classic histogram estimation, float helpers. */
package io.strata.plugin.promql.functions;
