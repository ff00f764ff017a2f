#!/usr/bin/env bash
# Requests per second through the REST facade (GET .../tags on a sandbox) without and with caller authentication
# (facade.auth.mode=none, then tokens with a token of the token store), in the same run. Loopback only, bounded.
#   bench/auth-bench.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10} CONNECTIONS=${2:-8}
SANDBOX_PORT=14310 REST_PORT=18091
KEY=bench-key
work=target/bench-auth && rm -rf $work && mkdir -p $work
[ -f target/prefect-camel.jar ] || mvn -B -q package -DskipTests
CP="target/prefect-camel.jar:target/lib/*"
A=9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f W=4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f
URL="http://127.0.0.1:$REST_PORT/v1/api/accounts/$A/workspaces/$W/tags?limit=5"

pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done' EXIT
java -cp "$CP" io.prefectcamel.sandbox.PrefectSandbox --host 127.0.0.1 --port $SANDBOX_PORT --api-key $KEY --seed \
  > $work/sandbox.log 2>&1 &
pids+=($!)
until grep -q "listening" $work/sandbox.log 2>/dev/null; do sleep 0.5; kill -0 ${pids[0]} || { cat $work/sandbox.log; exit 1; }; done

# a token with limits the load cannot reach (its own rate limit is not what is measured here)
java -jar target/prefect-camel.jar tokens create --file $work/tokens.json --name bench --scopes events:read \
  --rate 1000000 --concurrency 1000 > $work/token.out
TOKEN=$(tail -1 $work/token.out)

run() { # mode, then the token for the load (or nothing)
  FACADE_AUTH_MODE=$1 FACADE_AUTH_TOKENS_FILE=$work/tokens.json MCP_ENABLED=false \
  PREFECT_API_URL=http://127.0.0.1:$SANDBOX_PORT PREFECT_API_KEY=$KEY \
    java -Xmx512m -Dcamel.server.host=127.0.0.1 -Dcamel.server.port=$REST_PORT -Dcamel.management.port=$REST_PORT \
    -jar target/prefect-camel.jar > $work/service-$1.log 2>&1 &
  local svc=$!; pids+=($svc)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' ${2:+-H "Authorization: Bearer $2"} "$URL")" = 200 ]; do
    sleep 0.5; kill -0 $svc || { tail $work/service-$1.log; exit 1; }; done
  printf '%-7s %s\n' "$1:" "$(java bench/AuthLoad.java "$URL" $SECONDS_PER_RUN $CONNECTIONS ${2:-})"
  kill $svc; wait $svc 2>/dev/null || true
}
echo "GET .../tags?limit=5 through the facade to the sandbox, $CONNECTIONS connections, ${SECONDS_PER_RUN} s each"
echo "(after 3 s of warm-up; twice each, alternating, since other work on the machine shifts single runs):"
for round in 1 2; do
  run none
  run tokens "$TOKEN"
done
