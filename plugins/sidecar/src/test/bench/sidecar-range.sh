#!/usr/bin/env bash
# Range-query latency over 1h of N series: directly against Prometheus 2.42, and through
# strata sidecar + strata query (the global-view path of the sidecar issue).
#
# Usage: plugins/sidecar/src/test/bench/sidecar-range.sh [--series 10000] [--runs 9] [--work DIR]
#        [--prometheus /usr/bin/prometheus] [--promtool /usr/bin/promtool]
# Needs the built distribution (./strata builds it). Prints the median of --runs timed requests per
# query and path (after two untimed ones), and the ratio via-querier / direct.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../../.." && pwd)"
series=10000 runs=9 work=/tmp/strata-sidecar-bench prometheus=/usr/bin/prometheus promtool=/usr/bin/promtool
while [ $# -gt 0 ]; do
  case "$1" in
    --series) series="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --prometheus) prometheus="$2"; shift 2 ;;
    --promtool) promtool="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
"$root/strata" version >/dev/null
strata="$(ls -d "$root"/distribution/target/unpacked/strata-*/bin/strata)"
rm -rf "$work" && mkdir -p "$work/prom"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# 1h of samples 15s apart, ending on a whole hour two hours ago (so Prometheus has it in one block)
end=$(( ($(date +%s) / 3600 - 2) * 3600 ))
start=$(( end - 3600 ))
echo "generating $series series x $(( 3600 / 15 + 1 )) samples..." >&2
awk -v n="$series" -v s="$start" -v e="$end" 'BEGIN {
  print "# TYPE bench_metric counter";
  for (i = 0; i < n; i++) {
    lbl = sprintf("bench_metric_total{instance=\"host-%d\",job=\"job%d\",zone=\"z%d\"}", i, i % 10, i % 3);
    v = i % 7;
    for (t = s; t <= e; t += 15) { v += (i % 5) + 1; printf "%s %d %d\n", lbl, v, t }
  }
  print "# EOF" }' > "$work/data.om"
"$promtool" tsdb create-blocks-from openmetrics "$work/data.om" "$work/prom" >/dev/null
rm -f "$work/data.om"

cat > "$work/prometheus.yml" <<YML
global:
  external_labels: {cluster: bench, replica: "0"}
YML
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.listen-address=127.0.0.1:19090 \
  --storage.tsdb.retention.time=30d --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
"$strata" sidecar --prometheus.url=http://127.0.0.1:19090 --grpc-address=127.0.0.1:19091 --http-address=127.0.0.1:19092 \
  >"$work/sidecar.log" 2>&1 &
pids+=($!)
"$strata" query --endpoint=127.0.0.1:19091 --grpc-address=127.0.0.1:19093 --http-address=127.0.0.1:19094 \
  --query.replica-label=replica >"$work/query.log" 2>&1 &
pids+=($!)

wait_for() { # url expected-substring
  for _ in $(seq 1 120); do
    if curl -fsS "$1" 2>/dev/null | grep -q "$2"; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for $1" >&2; exit 1
}
wait_for "http://127.0.0.1:19090/-/ready" "Ready"
wait_for "http://127.0.0.1:19094/api/v1/query?query=count(bench_metric_total)&time=$end" "\"$series\""

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_query() { # base query
  local url="$1/api/v1/query_range" q="$2" i
  for i in 1 2; do curl -fsS -o /dev/null --data-urlencode "query=$q" -d "start=$start" -d "end=$end" -d step=15 "$url"; done
  for i in $(seq 1 "$runs"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' --data-urlencode "query=$q" -d "start=$start" -d "end=$end" -d step=15 "$url"
  done | median
}
printf "%-44s %12s %14s %7s\n" "range query over 1h, step 15s" "prometheus s" "sidecar+query s" "ratio"
for q in 'bench_metric_total' 'sum by (job) (rate(bench_metric_total[5m]))'; do
  d=$(time_query http://127.0.0.1:19090 "$q")
  v=$(time_query http://127.0.0.1:19094 "$q")
  printf "%-44s %12.3f %14.3f %6.2fx\n" "$q" "$d" "$v" "$(echo "$v / $d" | bc -l)"
done
