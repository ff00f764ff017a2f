#!/usr/bin/env bash
# Streams N events (default 1,000,000) from the Prefect sandbox through the prefect-events-source Kamelet and prints
# events/s and the peak heap of the JVM that runs the Kamelet.
#
#   bench/kamelet-source-bench.sh [N] [PAGE_SIZE]
#
# Environment: SOURCE_HEAP (default 64m), the -Xmx of the Kamelet's JVM, small on purpose: the source must stream
# (its default in-memory idempotent repository alone may hold 100,000 ids, about 20 MB); SANDBOX_HEAP (default 3g),
# the sandbox's, which holds every event; PORT (default 4299).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-1000000}"
PAGE_SIZE="${2:-200}"
PORT="${PORT:-4299}"
SOURCE_HEAP="${SOURCE_HEAP:-64m}"
SANDBOX_HEAP="${SANDBOX_HEAP:-3g}"
KEY="pnu_bench_$$"
ACCOUNT=9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f
WORKSPACE=4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f
URL="http://127.0.0.1:${PORT}"

echo "compiling ..."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"

java -Xmx"${SANDBOX_HEAP}" -cp "$CP" io.prefectcamel.sandbox.PrefectSandbox --port "$PORT" --api-key "$KEY" \
  > target/bench-sandbox.log 2>&1 &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" target/bench-sandbox.log 2>/dev/null && break
  sleep 0.2
done

echo "loading ${N} events into the sandbox ..."
java -cp "$CP" io.prefectcamel.kamelets.SourceBench load "$URL" "$KEY" "$ACCOUNT" "$WORKSPACE" "$N"

echo "streaming them through prefect-events-source (-Xmx${SOURCE_HEAP}, page size ${PAGE_SIZE}) ..."
java -Xmx"${SOURCE_HEAP}" -XX:+ExitOnOutOfMemoryError -cp "$CP" \
  io.prefectcamel.kamelets.SourceBench read "$URL" "$KEY" "$ACCOUNT" "$WORKSPACE" "$N" "$PAGE_SIZE" \
  2> target/bench-source.log | grep -v ' INFO '
