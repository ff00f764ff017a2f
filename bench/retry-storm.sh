#!/usr/bin/env bash
# The retry storm: an upstream that answers every call 429 with Retry-After: 5 (bench/RateLimitedPrefect.java), the
# service in front of it, 24 callers whose calls each wait out Retry-After inside the service, and meanwhile a probe
# of other requests (GET /v1/openapi.json, and a read Prefect answers at once). Prints p50/p99/max of the probes
# without a storm (the anchor) and during it. Loopback only; about a minute.
#   bench/retry-storm.sh [APP_DIR] [CALLERS] [SECONDS]
# APP_DIR holds prefect-camel.jar and lib/ (default: a copy of this build's target/), e.g. an older build to compare.
# SERVICE_OPTS adds JVM options to the service, e.g. SERVICE_OPTS=-Dcamel.beans.vertxOptions.workerPoolSize=20.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-} CALLERS=${2:-24} SECONDS_=${3:-25}
UPSTREAM_PORT=14310 REST_PORT=18091 MGMT_PORT=18091
work=target/bench-storm && mkdir -p $work
if [ -z "$APP" ]; then
  [ -f target/prefect-camel.jar ] || mvn -B -q package -DskipTests
  rm -rf $work/app && mkdir -p $work/app && cp -r target/prefect-camel.jar target/lib $work/app/
  APP=$work/app
fi

pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done' EXIT
java bench/RateLimitedPrefect.java --port $UPSTREAM_PORT --retry-after 5 > $work/upstream.log 2>&1 &
pids+=($!)
until grep -q "ready" $work/upstream.log; do sleep 0.5; kill -0 ${pids[0]} || { cat $work/upstream.log; exit 1; }; done

PREFECT_API_URL=http://127.0.0.1:$UPSTREAM_PORT PREFECT_API_KEY=bench-key MCP_PORT=0 \
  timeout 300 java -Xmx512m ${SERVICE_OPTS:-} -Dcamel.server.port=$REST_PORT -Dcamel.management.port=$MGMT_PORT -jar $APP/prefect-camel.jar \
  > $work/service.log 2>&1 &
svc=$!; pids+=($svc)
for i in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$REST_PORT/v1/openapi.json || true)
  [ "$code" = 200 ] && break
  sleep 0.5; kill -0 $svc || { tail -20 $work/service.log; exit 1; }
done
echo "service: $APP/prefect-camel.jar, $CALLERS callers, upstream always 429 Retry-After: 5"
timeout 200 java bench/RetryStorm.java --url http://127.0.0.1:$REST_PORT --callers "$CALLERS" --seconds "$SECONDS_"
echo "upstream saw: $(curl -s http://127.0.0.1:$UPSTREAM_PORT/counts)"
