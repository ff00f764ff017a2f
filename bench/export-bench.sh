#!/usr/bin/env bash
# Streams N events (default 1,000,000) from a sandbox through the service's NDJSON export endpoint and prints
# events/s and the service's peak heap. Loopback only.
#   bench/export-bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
SANDBOX_PORT=14300 REST_PORT=18090 MGMT_PORT=18090 MCP_PORT=0
work=target/bench && mkdir -p $work
[ -f target/prefect-camel.jar ] || mvn -B -q package -DskipTests
rm -rf $work/app && mkdir -p $work/app && cp -r target/prefect-camel.jar target/lib $work/app/
CP="$work/app/prefect-camel.jar:$work/app/lib/*"

pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done' EXIT
java -Xmx6g -cp "$CP" bench/BenchSandbox.java --events "$N" --port $SANDBOX_PORT > $work/sandbox.log 2>&1 &
pids+=($!)
until grep -q "bench sandbox ready" $work/sandbox.log; do sleep 1; kill -0 ${pids[0]} || { cat $work/sandbox.log; exit 1; }; done
cat $work/sandbox.log

FACADE_AUTH_MODE=none PREFECT_API_URL=http://127.0.0.1:$SANDBOX_PORT PREFECT_API_KEY=bench-key MCP_PORT=$MCP_PORT \
  java -Xmx512m -Dcamel.server.port=$REST_PORT -Dcamel.management.port=$MGMT_PORT -jar $work/app/prefect-camel.jar \
  > $work/service.log 2>&1 &
svc=$!; pids+=($svc)
A=9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f W=4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f
until curl -s -o /dev/null http://127.0.0.1:$REST_PORT/v1/openapi.json; do sleep 1; kill -0 $svc || { tail $work/service.log; exit 1; }; done

# peak heap of the service: jstat's used survivor + eden + old, sampled every 100 ms
( peak=0; while kill -0 $svc 2>/dev/null; do
    used=$(jstat -gc $svc 2>/dev/null | awk 'NR==2 {printf "%d", ($3+$4+$6+$8)}'); [ -n "$used" ] && [ "$used" -gt "$peak" ] && peak=$used && echo $peak > $work/peak-kb
    sleep 0.1; done ) &
pids+=($!)

body='{"limit": 200, "filter": {"occurred": {"since": "'$(date -u -d '-7 hours' +%Y-%m-%dT%H:%M:%SZ)'"}, "order": "ASC"}}'
start=$(date +%s.%N)
curl -s -N -X POST "http://127.0.0.1:$REST_PORT/v1/api/accounts/$A/workspaces/$W/events/export" \
  -H 'Content-Type: application/json' -d "$body" > $work/export.ndjson
end=$(date +%s.%N)
lines=$(($(wc -l < $work/export.ndjson) - 1))
echo "last line: $(tail -1 $work/export.ndjson)"
distinct=$(head -n -1 $work/export.ndjson | grep -o '"id":"[^"]*"' | sort -u | wc -l)
awk -v n=$lines -v d=$distinct -v s=$start -v e=$end -v p=$(cat $work/peak-kb 2>/dev/null || echo 0) 'BEGIN {
  printf "export: %d events (%d distinct ids) in %.1f s = %.0f events/s; service peak heap %.0f MiB (-Xmx512m)\n", n, d, e-s, n/(e-s), p/1024 }'
