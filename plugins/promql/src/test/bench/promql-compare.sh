#!/bin/sh
# Head-to-head: Strata's PromQL engine vs Prometheus 2.42 on the same blocks (see PromqlCompare's javadoc).
# Usage (see README.md here): plugins/promql/src/test/bench/promql-compare.sh [--series 1000,100,10,1] [--runs 7] [--warmup 5] [--jit-warmup 15]
#        [--work DIR] [--prometheus /usr/bin/prometheus] [--prom-procs 1] [--modes inst,range] [--query 'rate(a_X[5m])']...
# Extra JVM options (e.g. JFR) go in PROMQL_COMPARE_JAVA_OPTS. The JVM gets one processor, Prometheus GOMAXPROCS=1.
set -e
cd "$(dirname "$0")/../../.."
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/compare-classpath.txt -Dmdep.includeScope=test
exec java -XX:ActiveProcessorCount=1 -Xms2g -Xmx2g ${PROMQL_COMPARE_JAVA_OPTS} \
  -cp "target/test-classes:target/classes:$(cat target/compare-classpath.txt)" \
  io.strata.plugin.promql.bench.PromqlCompare "$@"
