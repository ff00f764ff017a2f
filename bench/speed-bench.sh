#!/usr/bin/env bash
# REST and MCP speed and memory, side by side in one run, on loopback:
#   nginx      an nginx reverse proxy that adds the key: the physical limit of a proxy on this machine
#   bare       a bare Camel 4.17 route (bench/BareCamelRoute.java): platform-http-vertx -> removeHeaders ->
#              set Authorization -> camel-http
#   facade     prefect-camel's REST facade, every feature on (request validation, token auth, metrics, request ids,
#              next_page rewriting), run as the README runs it (FACADE_JAVA_OPTS, default the README's JVM options)
#   mcp-1      the MCP tool read-workspace-events (tools/call) through one session
#   mcp-many   the same through 64 sessions, one after another
# All five call POST .../events/filter on a static nginx upstream answering a 13 KB EventPage (bench/event-page.json).
# Interleaved rounds of wrk (-c CONNS, D seconds each), medians, then ratios; the CPU per call of the bare route and of
# the facade (from /proc/<pid>/stat); and the facade's RSS idle and under load.
#   [WARMUP=30] bench/speed-bench.sh [ROUNDS=5] [SECONDS=10] [CONNS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5} DURATION=${2:-10} CONNS=${3:-32} WARMUP=${WARMUP:-30}
UP=18201 PROXY=18202 BARE=18203 REST=18204 MCP=18205 MGMT=18206
. bench/static-upstream.sh
A=$BENCH_ACCOUNT W=$BENCH_WORKSPACE FILTER_PATH=$BENCH_FILTER_PATH
work=$PWD/target/bench-speed && rm -rf "$work" && mkdir -p "$work"
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx (apt-get install wrk nginx)"; exit 1; }
[ -f target/prefect-camel.jar ] || mvn -B -q package -DskipTests
CP="$PWD/target/prefect-camel.jar:$PWD/target/lib/*"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; stop_static_upstream "$work"; }
trap cleanup EXIT

# --- the upstream and the nginx proxy --------------------------------------------------------------------------
static_upstream "$work" $UP "  upstream prefect { server 127.0.0.1:$UP; keepalive 64; }
  server {
    listen 127.0.0.1:$PROXY;
    location /v1/api/ {
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Authorization \"Bearer bench-key\";
      proxy_pass http://prefect/api/;
    }
  }"
curl -sf -X POST -d '{}' -o "$work/upstream.out" http://127.0.0.1:$UP$FILTER_PATH; echo "upstream: $(wc -c < "$work/upstream.out") bytes"

# --- the bare Camel route -----------------------------------------------------------------------------------------
java -cp "$CP" bench/BareCamelRoute.java $BARE http://127.0.0.1:$UP > "$work/bare.log" 2>&1 &
bare=$!; pids+=($bare)

# --- the facade: token auth on, a token for the benchmark with limits above the load -------------------------------
tokens="$work/tokens.json"
TOKEN=$(bench_token "$tokens")
[ -n "$TOKEN" ] || { echo "could not make a token"; exit 1; }
start_facade facade "$PWD/target/prefect-camel.jar" $REST $MCP $MGMT $UP "$tokens"
facade=$!; pids+=($facade)

wait_for() { for _ in $(seq 1 120); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1"; tail -20 "$2"; exit 1; }
wait_for http://127.0.0.1:$REST/v1/openapi.json "$work/facade.log"
wait_for http://127.0.0.1:$BARE/v1/api/ "$work/bare.log"

rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$1/status; }
body='{"limit": 15}'
for name in nginx:$PROXY bare:$BARE facade:$REST; do
  port=${name#*:}
  # the port opens before the routes serve (503 "Service starting" until then)
  for _ in $(seq 1 60); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" \
           -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$port/v1$FILTER_PATH); [ "$code" = 503 ] || break; sleep 0.5; done
  code=$(curl -s -o "$work/${name%%:*}.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
         -H 'Content-Type: application/json' -d "$body" http://127.0.0.1:$port/v1$FILTER_PATH)
  echo "${name%%:*}: HTTP $code, $(wc -c < "$work/${name%%:*}.out") bytes"
  [ "$code" = 200 ] || { cat "$work/${name%%:*}.out"; exit 1; }
done

# --- MCP sessions --------------------------------------------------------------------------------------------------
mcp_session() {
  curl -s -D - -o /dev/null -X POST http://127.0.0.1:$MCP/mcp -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
    | awk 'tolower($1)=="mcp-session-id:" {gsub("\r",""); print $2}'
}
sessions=()
for i in $(seq 1 64); do
  s=$(mcp_session); [ -n "$s" ] || { echo "no MCP session"; exit 1; }
  curl -s -o /dev/null -X POST http://127.0.0.1:$MCP/mcp -H "Authorization: Bearer $TOKEN" -H "Mcp-Session-Id: $s" \
    -H 'MCP-Protocol-Version: 2025-06-18' -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  sessions+=("$s")
done
call='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read-workspace-events","arguments":{"limit":15}}}'
curl -s -X POST http://127.0.0.1:$MCP/mcp -H "Authorization: Bearer $TOKEN" -H "Mcp-Session-Id: ${sessions[0]}" \
  -H 'MCP-Protocol-Version: 2025-06-18' -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -d "$call" > "$work/mcp.out"
grep -q '"structuredContent"' "$work/mcp.out" && ! grep -q '"isError":true' "$work/mcp.out" \
  || { echo "tools/call failed:"; head -c 600 "$work/mcp.out"; exit 1; }
echo "mcp: tools/call ok, $(wc -c < "$work/mcp.out") bytes, ${#sessions[@]} sessions"

# --- wrk scripts ---------------------------------------------------------------------------------------------------
cat > "$work/rest.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
write_mcp_lua() { # $1 file, rest: session ids. Each thread formats its requests once (init), so that wrk spends
  # no more per request on MCP than on the static REST request: on these two cores its CPU is taken from the service.
  local f=$1; shift
  { echo "local sessions = {"; for s in "$@"; do echo "  \"$s\","; done; echo "}"
    cat <<LUA
local requests = {}
local n = 0
init = function(args)
  for i, s in ipairs(sessions) do
    local headers = {}
    headers["Content-Type"] = "application/json"
    headers["Accept"] = "application/json, text/event-stream"
    headers["MCP-Protocol-Version"] = "2025-06-18"
    headers["Authorization"] = "Bearer $TOKEN"
    headers["Mcp-Session-Id"] = s
    requests[i] = wrk.format("POST", "/mcp", headers, '$call')
  end
end
request = function()
  n = n + 1
  return requests[(n % #requests) + 1]
end
LUA
  } > "$f"; }
write_mcp_lua "$work/mcp-1.lua" "${sessions[0]}"
write_mcp_lua "$work/mcp-many.lua" "${sessions[@]}"

idle_rss=$(rss $facade); bare_idle_rss=$(rss $bare)
peak=0; bare_peak=0
# the CPU a JVM has used (user + system, in clock ticks), for the CPU each call takes; nginx: none (several workers)
ticks() { [ -n "${1:-}" ] && awk '{print $14 + $15}' /proc/$1/stat || echo 0; }
cpu_pid() { case $1 in bare) echo $bare;; facade|mcp-*) echo $facade;; *) echo "";; esac; }
HZ=$(getconf CLK_TCK)
run() { # $1 name, $2 url, $3 lua, $4 seconds -> "req/s p99_ms non2xx cpu_us_per_call"
  local out pid t0 t1; pid=$(cpu_pid "$1"); t0=$(ticks "$pid")
  out=$(wrk -t2 -c$CONNS -d${4}s --latency -s "$3" "$2" 2>&1); t1=$(ticks "$pid")
  echo "$out" > "$work/wrk-$1-$(date +%s%N).txt"
  echo "$out" | awk -v ticks=$((t1 - t0)) -v hz="$HZ" -v pid="$pid" '
    /requests in/ {n=$1}
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; p99=v}
    /Non-2xx/ {bad=$NF}
    /Socket errors/ {err=$0}
    END {printf "%s %s %d %s\n", rps, p99, bad+0, (pid == "" || n == 0) ? "-" : sprintf("%.0f", ticks * 1e6 / hz / n)}'
}
targets=(nginx bare facade mcp-1 mcp-many)
url() { case $1 in nginx) echo http://127.0.0.1:$PROXY/v1$FILTER_PATH;; bare) echo http://127.0.0.1:$BARE/v1$FILTER_PATH;;
  facade) echo http://127.0.0.1:$REST/v1$FILTER_PATH;; mcp-*) echo http://127.0.0.1:$MCP/mcp;; esac; }
lua() { case $1 in mcp-1) echo "$work/mcp-1.lua";; mcp-many) echo "$work/mcp-many.lua";; *) echo "$work/rest.lua";; esac; }

# the facade's JIT needs about 30 s of load before its rate settles (10 s left round 1 at half speed)
echo "warm-up: ${WARMUP} s each"
for t in "${targets[@]}"; do run "$t" "$(url $t)" "$(lua $t)" "$WARMUP" > /dev/null; done
( while kill -0 $facade 2>/dev/null; do r=$(rss $facade); [ "$r" -gt "$(cat "$work/peak" 2>/dev/null || echo 0)" ] && echo "$r" > "$work/peak"
    b=$(rss $bare 2>/dev/null || echo 0); [ "$b" -gt "$(cat "$work/bare-peak" 2>/dev/null || echo 0)" ] && echo "$b" > "$work/bare-peak"; sleep 0.5; done ) &
pids+=($!)
for r in $(seq 1 "$ROUNDS"); do
  for t in "${targets[@]}"; do
    res=$(run "$t" "$(url $t)" "$(lua $t)" "$DURATION"); echo "$t $res" >> "$work/results"
    printf 'round %d  %-9s %10s req/s  p99 %8s ms  non-2xx %s  CPU %s us/call\n' "$r" "$t" $res
  done
done
sleep 1
echo
echo "facade JVM options: ${FACADE_JAVA_OPTS--Xmx384m}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNS, $ROUNDS rounds of ${DURATION}s, medians"
awk -v idle="$idle_rss" -v peak="$(cat "$work/peak")" -v bidle="$bare_idle_rss" -v bpeak="$(cat "$work/bare-peak")" '
  function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
  { n[$1]++; rps[$1, n[$1]] = $2; p99[$1, n[$1]] = $3; bad[$1] += $4; cpu[$1, n[$1]] = $5 }
  END {
    split("nginx bare facade mcp-1 mcp-many", order, " ")
    printf "%-9s %10s %10s %8s %12s\n", "path", "req/s", "p99 ms", "non-2xx", "CPU us/call"
    for (k = 1; k <= 5; k++) { t = order[k]; m = n[t]
      for (i = 1; i <= m; i++) { a[i] = rps[t, i]; b[i] = p99[t, i]; c[i] = cpu[t, i] }
      R[t] = median(a, m); P[t] = median(b, m)
      C[t] = c[1] == "-" ? "-" : sprintf("%.0f", median(c, m))
      printf "%-9s %10.0f %10.2f %8d %12s\n", t, R[t], P[t], bad[t], C[t] }
    printf "\nfacade / bare:   %.2fx req/s (floor 1.0), p99 %.2fx (ceiling 1.5)\n", R["facade"] / R["bare"], P["facade"] / P["bare"]
    if (C["bare"] != "-" && C["facade"] != "-") printf "facade / bare:   %.2fx CPU per call\n", C["facade"] / C["bare"]
    printf "facade / nginx:  %.2fx req/s\n", R["facade"] / R["nginx"]
    printf "mcp-1 / facade:    %.2fx req/s (floor 0.8)\n", R["mcp-1"] / R["facade"]
    printf "mcp-many / facade: %.2fx req/s (floor 0.8)\n", R["mcp-many"] / R["facade"]
    printf "RSS: facade idle %d MB (ceiling 300), peak under load %d MB (ceiling 600); bare route idle %d MB, peak %d MB\n", idle, peak, bidle, bpeak
  }' "$work/results"
