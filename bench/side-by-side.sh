#!/usr/bin/env bash
# Two builds of the facade at once, on the same static nginx upstream as bench/speed-bench.sh, with wrk alternating
# between them: req/s, p99 and the CPU each service spends per call (from /proc/<pid>/stat), for REST
# (POST .../events/filter) and MCP (tools/call read-workspace-events, one session). Side by side, the box's drift
# falls on both alike.
#   [WARMUP=30] bench/side-by-side.sh OTHER_JAR [ROUNDS=4] [SECONDS=10] [CONNS=32]
#   (OTHER_JAR: another build's target/prefect-camel.jar, its target/lib beside it; "this" is target/prefect-camel.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
OTHER=$(realpath "${1:?another build\'s prefect-camel.jar}"); ROUNDS=${2:-4} DURATION=${3:-10} CONNS=${4:-32}
UP=18301 WARMUP=${WARMUP:-30}
. bench/static-upstream.sh
FILTER_PATH=$BENCH_FILTER_PATH
work=$PWD/target/bench-side && rm -rf "$work" && mkdir -p "$work"
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx (apt-get install wrk nginx)"; exit 1; }
[ -f target/prefect-camel.jar ] || mvn -B -q package -DskipTests
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; stop_static_upstream "$work"; }
trap cleanup EXIT

static_upstream "$work" $UP
tokens="$work/tokens.json"
TOKEN=$(bench_token "$tokens")
[ -n "$TOKEN" ] || { echo "could not make a token"; exit 1; }
start_facade this "$PWD/target/prefect-camel.jar" 18302 18303 18304 $UP "$tokens"; pids+=($!); echo $! > "$work/this.pid"
start_facade other "$OTHER" 18312 18313 18314 $UP "$tokens"; pids+=($!); echo $! > "$work/other.pid"

body='{"limit": 15}'
call='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read-workspace-events","arguments":{"limit":15}}}'
for name in this:18302:18303 other:18312:18313; do
  IFS=: read -r n rest mcp <<< "$name"
  for _ in $(seq 1 120); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
           -d "$body" http://127.0.0.1:$rest/v1$FILTER_PATH || true); [ "$code" = 200 ] && break; sleep 0.5; done
  [ "$code" = 200 ] || { echo "$n: REST answers $code"; tail -20 "$work/$n.log"; exit 1; }
  s=$(curl -s -D - -o /dev/null -X POST http://127.0.0.1:$mcp/mcp -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
      -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
      | awk 'tolower($1)=="mcp-session-id:" {gsub("\r",""); print $2}')
  [ -n "$s" ] || { echo "$n: no MCP session"; exit 1; }
  curl -s -o /dev/null -X POST http://127.0.0.1:$mcp/mcp -H "Authorization: Bearer $TOKEN" -H "Mcp-Session-Id: $s" \
    -H 'MCP-Protocol-Version: 2025-06-18' -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  cat > "$work/$n-mcp.lua" <<LUA
wrk.method = "POST"
wrk.body = '$call'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2025-06-18"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Mcp-Session-Id"] = "$s"
LUA
done
cat > "$work/rest.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
run() { # $1 service, $2 surface, $3 url, $4 lua, $5 seconds -> "service surface req/s p99_ms cpu_us_per_call"
  local pid; pid=$(cat "$work/$1.pid"); local t0; t0=$(ticks "$pid")
  local out; out=$(wrk -t2 -c$CONNS -d${5}s --latency -s "$4" "$3" 2>&1)
  local t1; t1=$(ticks "$pid")
  echo "$out" | awk -v s="$1" -v f="$2" -v dt=$((t1 - t0)) -v hz="$hz" '
    /requests in/ {n=$1}
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; p99=v}
    END {printf "%s %s %s %s %.0f\n", s, f, rps, p99, n ? dt * 1e6 / hz / n : 0}'
}
url() { case $1:$2 in this:rest) echo http://127.0.0.1:18302/v1$FILTER_PATH;; other:rest) echo http://127.0.0.1:18312/v1$FILTER_PATH;;
  this:mcp) echo http://127.0.0.1:18303/mcp;; other:mcp) echo http://127.0.0.1:18313/mcp;; esac; }
lua() { [ "$2" = rest ] && echo "$work/rest.lua" || echo "$work/$1-mcp.lua"; }

echo "warm-up: ${WARMUP} s each"
for f in rest mcp; do for s in this other; do run $s $f "$(url $s $f)" "$(lua $s $f)" "$WARMUP" > /dev/null; done; done
for r in $(seq 1 "$ROUNDS"); do
  for f in rest mcp; do for s in this other; do
    res=$(run $s $f "$(url $s $f)" "$(lua $s $f)" "$DURATION"); echo "$res" >> "$work/results"
    printf 'round %d  %s\n' "$r" "$res"
  done; done
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNS, $ROUNDS rounds of ${DURATION}s, medians; other = $OTHER"
awk '
  function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
  { k = $1 " " $2; n[k]++; R[k, n[k]] = $3; P[k, n[k]] = $4; C[k, n[k]] = $5 }
  END {
    printf "%-6s %-5s %10s %8s %14s\n", "build", "call", "req/s", "p99 ms", "CPU us/call"
    split("this rest,other rest,this mcp,other mcp", order, ",")
    for (o = 1; o <= 4; o++) { k = order[o]; m = n[k]
      for (i = 1; i <= m; i++) { a[i] = R[k, i]; b[i] = P[k, i]; c[i] = C[k, i] }
      rr[k] = median(a, m); pp[k] = median(b, m); cc[k] = median(c, m)
      split(k, kk, " "); printf "%-6s %-5s %10.0f %8.2f %14.0f\n", kk[1], kk[2], rr[k], pp[k], cc[k] }
    printf "\nthis / other: REST %.2fx req/s, %.2fx CPU per call; MCP %.2fx req/s, %.2fx CPU per call\n",
      rr["this rest"] / rr["other rest"], cc["this rest"] / cc["other rest"], rr["this mcp"] / rr["other mcp"], cc["this mcp"] / cc["other mcp"]
  }' "$work/results"
