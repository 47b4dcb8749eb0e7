#!/usr/bin/env bash
# Remote-write ingestion head to head: strata receive against Prometheus 2.42 with
# --web.enable-remote-write-receiver, the same load from `strata tools bench-remote-write`, one
# system at a time on this machine. Reports accepted samples/s, p50/p99 latency and the receiver's
# RSS at the end of the run (and its peak).
#
# Usage: plugins/receive/src/test/bench/receive-vs-prometheus.sh [--series 100000] [--duration 60s]
#        [--warmup 20s] [--concurrency 8] [--batch 2000] [--work DIR] [--prometheus /usr/bin/prometheus]
#        [--only strata|prometheus]
# STRATA_JAVA_OPTS applies to the receiver (e.g. GC settings); the load generator runs with defaults.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../../.." && pwd)"
series=100000 duration=60s warmup=20s concurrency=8 batch=2000 work=/tmp/strata-receive-bench
prometheus=/usr/bin/prometheus only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --series) series="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --prometheus) prometheus="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
"$root/strata" version >/dev/null 2>&1
strata="$(ls -d "$root"/distribution/target/unpacked/strata-*/bin/strata)"
rm -rf "$work" && mkdir -p "$work"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "timed out waiting for $1" >&2; exit 1
}

# run NAME URL: pushes the load while sampling the receiver's RSS every second
run() {
  local name="$1" url="$2" peak=0 rss
  ( while kill -0 "$pid" 2>/dev/null; do
      ps -o rss= -p "$pid" 2>/dev/null || true
      sleep 1
    done ) > "$work/$name.rss" &
  local sampler=$!
  JAVA_TOOL_OPTIONS= STRATA_JAVA_OPTS= "$strata" tools bench-remote-write --url "$url" --series "$series" --labels 10 \
    --batch "$batch" --concurrency "$concurrency" --duration "$duration" --warmup "$warmup" 2>/dev/null > "$work/$name.out"
  rss=$(ps -o rss= -p "$pid" | tr -d ' ')
  kill "$sampler" 2>/dev/null || true
  peak=$(sort -n "$work/$name.rss" | tail -1 | tr -d ' ')
  printf "%-11s %14s %22s %12s %13s\n" "$name" \
    "$(sed -n 's/^accepted samples\/s: //p' "$work/$name.out")" \
    "$(sed -n 's/^latency //p' "$work/$name.out" | sed 's/ ms//g; s/p50: //; s/, p99: /\//')" \
    "$(( rss / 1024 )) MiB" "$(( peak / 1024 )) MiB"
  grep -q '^failures' "$work/$name.out" && grep '^failures' "$work/$name.out" | sed "s/^/  $name /"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

echo "$series series x 10 labels, $batch samples per request, $concurrency in flight, ${warmup} warm-up + ${duration}"
printf "%-11s %14s %22s %12s %13s\n" "receiver" "samples/s" "latency p50/p99 ms" "RSS at end" "peak RSS"
if [ "$only" != prometheus ]; then
  "$strata" receive --tsdb.path="$work/strata" --remote-write.address=127.0.0.1:19291 --grpc-address=127.0.0.1:19292 \
    --http-address=127.0.0.1:19293 --label='replica="0"' > "$work/strata.log" 2>&1 &
  pid=$!
  wait_ready http://127.0.0.1:19293/-/ready
  run strata http://127.0.0.1:19291/api/v1/receive
fi
if [ "$only" != strata ]; then
  printf 'global:\n  scrape_interval: 1h\n' > "$work/prometheus.yml"
  "$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" --web.listen-address=127.0.0.1:19390 \
    --web.enable-remote-write-receiver --log.level=warn > "$work/prometheus.log" 2>&1 &
  pid=$!
  wait_ready http://127.0.0.1:19390/-/ready
  run prometheus http://127.0.0.1:19390/api/v1/write
fi
