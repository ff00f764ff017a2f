#!/usr/bin/env bash
# Runs every route file in routes/ with Camel JBang (`camel run`, from camel-jbang-core on Maven Central) against the
# embedded sandbox, and checks that the REST facade and the MCP endpoint answer: a count over REST, then an MCP
# initialize, tools/list and a tools/call of count-workspace-events. Usage: scripts/jbang-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/jbang-check
mkdir -p "$work"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# free ports, so a running service (8080, 9090, 9876) or another check does not get in the way;
# management on the REST port (Camel 4.17 does not start with a non-default server port and another management port)
rest_port=$(free_port) sandbox_port=$(free_port) mcp_port=$(free_port)
mgmt_port=$rest_port

mvn -B -q -f scripts/jbang/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$work/cp.txt" >/dev/null
mvn -B -q package -DskipTests
# `camel run --dep=...` takes the project's beans from a Maven repository. Not 0.1.0-SNAPSHOT from the local one: other
# checkouts share it, and their `mvn install` can replace that jar while this check runs. This build goes to a
# repository in $work instead, under a version of this run's own.
check_version=0.1.0-jbang-check-$(date +%s)-$$
repo=$PWD/$work/repo
rm -rf "$repo" && sed "0,/<version>0.1.0-SNAPSHOT<\/version>/s//<version>$check_version<\/version>/" pom.xml > "$work/pom.xml"
mvn -B -q install:install-file -Dfile=target/prefect-camel.jar -DpomFile="$work/pom.xml" -DlocalRepositoryPath="$repo" >/dev/null
# the sandbox runs from a copy, so a rebuild of target/ cannot pull classes from under it
rm -rf "$work/app" && mkdir -p "$work/app" && cp -r target/prefect-camel.jar target/lib "$work/app/"

pids=()
# camel run copies the jar into the local repository as it resolves it: that copy goes too
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$HOME/.m2/repository/io/prefectcamel/prefect-camel/$check_version"
}
trap cleanup EXIT
java -cp "$work/app/prefect-camel.jar:$work/app/lib/*" io.prefectcamel.sandbox.PrefectSandbox --port "$sandbox_port" --seed \
  > "$work/sandbox.log" 2>&1 &
pids+=($!)

A=9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f W=4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f
root=$PWD
routes=("$root"/routes/*.camel.yaml)
# the MCP server starts from application.properties (camel.main.routes-builder-classes), as in the service;
# the sandbox's demo ids are the defaults MCP callers may leave out. camel run keeps its state (.camel-jbang/) in the
# directory it runs in: run it in $work, with the files named by absolute path.
# The caller's PREFECT_* and MCP_* variables are dropped: Camel lets an environment variable win over --prop.
unset_env=()
for v in $(compgen -e); do case $v in PREFECT_* | MCP_*) unset_env+=(-u "$v") ;; esac; done
(cd "$work" && exec env "${unset_env[@]}" PREFECT_API_URL=http://127.0.0.1:$sandbox_port java -cp "$(cat cp.txt)" "$root/scripts/jbang/CamelCli.java" \
  run "${routes[@]}" "$root/application.properties" "$root/src/main/resources/openapi/prefect-camel-openapi.yaml" \
  --repos="file://$repo" --dep=io.prefectcamel:prefect-camel:"$check_version" \
  --prop=camel.server.port="$rest_port" --prop=camel.management.port="$mgmt_port" --prop=mcp.port="$mcp_port" \
  --prop=prefect.account-id=$A --prop=prefect.workspace-id=$W > camel-run.log 2>&1) &
pids+=($!)

fail() {
  echo "jbang-check: $1; see $work/camel-run.log" >&2
  tail -40 "$work/camel-run.log" >&2
  exit 1
}

url=http://127.0.0.1:$rest_port/v1/api/accounts/$A/workspaces/$W/events/count-by/event
code=000
for i in $(seq 1 120); do
  code=$(curl -s -o "$work/answer.json" -w '%{http_code}' -X POST "$url" -H 'Content-Type: application/json' -d '{}' || true)
  [ "$code" = 200 ] && break
  sleep 2
done
if [ "$code" != 200 ] || ! grep -q '"count"' "$work/answer.json"; then
  fail "camel run did not serve the facade (last status $code)"
fi
echo "jbang-check: camel run serves the facade (${#routes[@]} route files): count-by/event answered $(head -c 120 "$work/answer.json")..."

# MCP, streamable HTTP: POST JSON-RPC; an answer is JSON or an SSE stream whose data lines hold it
mcp=http://127.0.0.1:$mcp_port/mcp
session=()
mcp_post() { # name body -> $work/mcp-<name>.json (the JSON-RPC message), HTTP status on stdout
  curl -s -D "$work/mcp-$1.headers" -o "$work/mcp-$1.raw" -w '%{http_code}' -X POST "$mcp" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H 'MCP-Protocol-Version: 2025-11-25' "${session[@]}" -d "$2" || true
  python3 - "$work/mcp-$1.raw" > "$work/mcp-$1.json" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
data = [l[5:].strip() for l in text.splitlines() if l.startswith("data:")]
print(data[-1] if data else text.strip())
PY
}
json() { # file python-expression-on-m -> value
  python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null || true
}

code=000
for i in $(seq 1 30); do
  code=$(mcp_post initialize '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"jbang-check","version":"1"}}}')
  [ "$code" = 200 ] && break
  sleep 1
done
protocol=$(json "$work/mcp-initialize.json" 'm["result"]["protocolVersion"]')
[ "$code" = 200 ] && [ "$protocol" = 2025-11-25 ] || fail "no MCP initialize answer on $mcp (status $code)"
id=$(tr -d '\r' < "$work/mcp-initialize.headers" | awk 'tolower($1) == "mcp-session-id:" {print $2}')
if [ -n "$id" ]; then session=(-H "Mcp-Session-Id: $id"); fi
mcp_post initialized '{"jsonrpc":"2.0","method":"notifications/initialized"}' > /dev/null

code=$(mcp_post tools-list '{"jsonrpc":"2.0","id":2,"method":"tools/list"}')
tools=$(json "$work/mcp-tools-list.json" 'len(m["result"]["tools"])')
names=$(json "$work/mcp-tools-list.json" '" ".join(t["name"] for t in m["result"]["tools"])')
[ "$code" = 200 ] && [ "${tools:-0}" -gt 0 ] && [[ " $names " == *" count-workspace-events "* ]] \
  || fail "MCP tools/list did not list count-workspace-events (status $code)"

code=$(mcp_post tools-call '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"count-workspace-events","arguments":{"countable":"event"}}}')
error=$(json "$work/mcp-tools-call.json" 'm["result"].get("isError", False)')
[ "$code" = 200 ] && [ "$error" = False ] || fail "MCP tools/call count-workspace-events failed (status $code): $(head -c 300 "$work/mcp-tools-call.json")"
echo "jbang-check: camel run serves MCP on $mcp (protocol $protocol${id:+, session}): tools/list listed $tools tools," \
  "tools/call count-workspace-events answered $(head -c 120 "$work/mcp-tools-call.json")..."
