#!/usr/bin/env bash
# One MCP session spread over two replicas: nginx round-robin (no stickiness) in front of two
# `java -jar target/prefect-camel.jar` on loopback, both with the same MCP_SESSION_SECRET, one sandbox behind them.
# curl initializes once and then makes N tools/call requests with the session id; prints how many succeeded, how
# the requests were spread over the replicas, and what a tampered id and a third replica with another secret get.
#   bench/two-replicas.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
SANDBOX_PORT=14320 LB_PORT=19290 MCP1=19291 MCP2=19292 MCP3=19293 REST1=18191 REST2=18192 REST3=18193
KEY=bench-key
A=9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f W=4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f
work=$PWD/target/bench-replicas && rm -rf "$work" && mkdir -p "$work"
[ -f target/prefect-camel.jar ] || mvn -B -q package -DskipTests
NGINX=${NGINX:-/usr/sbin/nginx}
SHARED=$(openssl rand -hex 32)

pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done' EXIT
java -cp "target/prefect-camel.jar:target/lib/*" io.prefectcamel.sandbox.PrefectSandbox --host 127.0.0.1 \
  --port $SANDBOX_PORT --api-key $KEY --seed > "$work/sandbox.log" 2>&1 &
pids+=($!)
until grep -q "listening" "$work/sandbox.log" 2>/dev/null; do sleep 0.5; kill -0 "${pids[0]}" || { cat "$work/sandbox.log"; exit 1; }; done

replica() { # name, REST port, MCP port, secret
  FACADE_AUTH_MODE=none MCP_PORT=$3 MCP_SESSION_SECRET=$4 PREFECT_ACCOUNT_ID=$A PREFECT_WORKSPACE_ID=$W \
  PREFECT_API_URL=http://127.0.0.1:$SANDBOX_PORT PREFECT_API_KEY=$KEY \
    java -Xmx384m -Dcamel.server.host=127.0.0.1 -Dcamel.server.port=$2 -Dcamel.management.port=$2 \
    -jar target/prefect-camel.jar > "$work/$1.log" 2>&1 &
  pids+=($!)
}
replica one $REST1 $MCP1 "$SHARED"
replica two $REST2 $MCP2 "$SHARED"
replica three $REST3 $MCP3 "$(openssl rand -hex 32)"

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $work/nginx-access.log combined;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  log_format upstream '\$upstream_addr \$status';
  upstream replicas { server 127.0.0.1:$MCP1; server 127.0.0.1:$MCP2; }
  server {
    listen 127.0.0.1:$LB_PORT;
    location / {
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host 127.0.0.1:$LB_PORT;
      proxy_buffering off;
      access_log $work/nginx-upstream.log upstream;
    }
  }
}
CONF
"$NGINX" -p "$work" -c "$work/nginx.conf" -g 'daemon off;' 2> "$work/nginx-start.log" &
pids+=($!)

INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
H=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
for port in $MCP1 $MCP2 $MCP3 $LB_PORT; do
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -d "$INIT" http://127.0.0.1:$port/mcp)" = 200 ]; do
    sleep 0.5; for p in "${pids[@]}"; do kill -0 "$p" || { tail "$work"/*.log; exit 1; }; done; done
done
: > "$work/nginx-upstream.log"

url=http://127.0.0.1:$LB_PORT/mcp
sid=$(curl -s -D - -o /dev/null "${H[@]}" -d "$INIT" $url | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')
S=(-H "Mcp-Session-Id: $sid" -H 'MCP-Protocol-Version: 2025-11-25')
curl -s -o /dev/null "${H[@]}" "${S[@]}" -d '{"jsonrpc":"2.0","method":"notifications/initialized"}' $url
echo "session id (${#sid} characters): ${sid:0:40}..."

ok=0 failed=0 start=$(date +%s%N)
for i in $(seq 1 "$N"); do
  body=$(curl -s -w '\n%{http_code}' "${H[@]}" "${S[@]}" -d '{"jsonrpc":"2.0","id":'$((i + 1))',"method":"tools/call","params":{"name":"list-tags","arguments":{"limit":5}}}' $url)
  code=${body##*$'\n'}
  if [ "$code" = 200 ] && grep -q '"result"' <<<"$body" && ! grep -q '"isError":true' <<<"$body"; then
    ok=$((ok + 1)); else failed=$((failed + 1)); echo "call $i: $body" >> "$work/failures.log"; fi
done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "tools/call through nginx round-robin: $ok ok, $failed failed of $N in ${ms} ms ($(( N * 1000 / (ms > 0 ? ms : 1) )) calls/s)"
echo "requests per replica (upstream, status):"
sort "$work/nginx-upstream.log" | uniq -c | sed 's/^/  /'

tampered="${sid:0:10}$([ "${sid:10:1}" = A ] && echo B || echo A)${sid:11}"
echo "tampered id on replica one: $(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -H "Mcp-Session-Id: $tampered" \
  -H 'MCP-Protocol-Version: 2025-11-25' -d '{"jsonrpc":"2.0","id":9,"method":"ping"}' http://127.0.0.1:$MCP1/mcp)"
echo "the session on replica three (another secret): $(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "${S[@]}" \
  -d '{"jsonrpc":"2.0","id":9,"method":"ping"}' http://127.0.0.1:$MCP3/mcp)"
echo "rebuilt sessions logged at DEBUG only; service logs in $work"
[ "$failed" = 0 ]
