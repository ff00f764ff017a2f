#!/usr/bin/env bash
# Runs the routes in routes/ with Camel JBang (`camel run`, from camel-jbang-core on Maven Central) against the
# embedded sandbox, and checks that the REST facade answers. Usage: scripts/jbang-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/jbang-check
mkdir -p "$work"
rest_port=18080 mgmt_port=18080 sandbox_port=14200

mvn -B -q -f scripts/jbang/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$work/cp.txt" >/dev/null
# `camel run --dep=...` takes the project's beans from the local Maven repository: install this build there
mvn -B -q install -DskipTests
# the sandbox runs from a copy, so a rebuild of target/ cannot pull classes from under it
rm -rf "$work/app" && mkdir -p "$work/app" && cp -r target/prefect-camel.jar target/lib "$work/app/"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
java -cp "$work/app/prefect-camel.jar:$work/app/lib/*" io.prefectcamel.sandbox.PrefectSandbox --port $sandbox_port --seed \
  > "$work/sandbox.log" 2>&1 &
pids+=($!)

PREFECT_API_URL=http://127.0.0.1:$sandbox_port java -cp "$(cat $work/cp.txt)" scripts/jbang/CamelCli.java run \
  routes/prefect-call.camel.yaml routes/events.camel.yaml routes/rest-api.camel.yaml routes/export.camel.yaml \
  application.properties src/main/resources/openapi/prefect-camel-openapi.yaml \
  --dep=io.prefectcamel:prefect-camel:0.1.0-SNAPSHOT \
  --prop=camel.server.port=$rest_port --prop=camel.management.port=$mgmt_port > "$work/camel-run.log" 2>&1 &
pids+=($!)

A=9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f W=4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f
url=http://127.0.0.1:$rest_port/v1/api/accounts/$A/workspaces/$W/events/count-by/event
for i in $(seq 1 120); do
  code=$(curl -s -o "$work/answer.json" -w '%{http_code}' -X POST "$url" -H 'Content-Type: application/json' -d '{}' || true)
  [ "$code" = 200 ] && break
  sleep 2
done
if [ "$code" != 200 ] || ! grep -q '"count"' "$work/answer.json"; then
  echo "jbang-check: camel run did not serve the facade (last status $code); see $work/camel-run.log" >&2
  tail -40 "$work/camel-run.log" >&2
  exit 1
fi
echo "jbang-check: camel run serves the facade: count-by/event answered $(head -c 120 "$work/answer.json")..."
