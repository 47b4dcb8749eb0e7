/**
 * The PromQL language: {@link io.strata.plugin.promql.parser.Parser} turns text into an
 * {@link io.strata.plugin.promql.parser.Expr} tree (type-checked, with Prometheus's precedence and error wording),
 * {@link io.strata.plugin.promql.parser.Printer} turns a tree back into text that parses to the same tree.
 */
package io.strata.plugin.promql.parser;
