# Sourced by bench/speed-bench.sh and bench/side-by-side.sh: what both set up before they measure.
#   static_upstream WORK PORT [NGINX_HTTP_LINES]  an nginx answering bench/event-page.json (a 13 KB EventPage) to any
#                                                 method and path on 127.0.0.1:PORT, plus any further lines of its http
#                                                 block (speed-bench's proxy); stop it with stop_static_upstream WORK
#   bench_token TOKENS_FILE                       a facade token for events:read with limits above any load here
#   start_facade NAME JAR REST MCP MGMT UP TOKENS_FILE  the facade on that upstream with token auth, in the background
#                                                 (FACADE_JAVA_OPTS, default -Xmx384m; log WORK/NAME.log; sets $!)
BENCH_ACCOUNT=9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f
BENCH_WORKSPACE=4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f
BENCH_FILTER_PATH=/api/accounts/$BENCH_ACCOUNT/workspaces/$BENCH_WORKSPACE/events/filter

static_upstream() {
  local work=$1 port=$2 extra=${3:-}
  mkdir -p "$work/nginx/logs"
  sed "s#UPSTREAM#http://127.0.0.1:$port#" bench/event-page.json > "$work/nginx/page.json"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location / {
      default_type application/json;
      root $work/nginx;
      # any method, any path: the same EventPage (static files answer POST with 405, turned into the file)
      error_page 405 =200 /page.json;
      try_files /page.json =404;
    }
  }
$extra
}
CONF
  nginx -p "$work/nginx" -c nginx.conf
}

stop_static_upstream() { nginx -p "$1/nginx" -c nginx.conf -s stop 2>/dev/null || true; }

bench_token() {
  java -jar target/prefect-camel.jar tokens create --name bench --scopes events:read --rate 1000000 \
    --concurrency 10000 --file "$1" 2>/dev/null | tail -1
}

start_facade() {
  local name=$1 jar=$2 rest=$3 mcp=$4 mgmt=$5 up=$6 tokens=$7
  PREFECT_API_URL=http://127.0.0.1:$up PREFECT_API_KEY=bench-key-0123456789 FACADE_AUTH_MODE=tokens \
  FACADE_AUTH_TOKENS_FILE="$tokens" MCP_PORT=$mcp PREFECT_ACCOUNT_ID=$BENCH_ACCOUNT PREFECT_WORKSPACE_ID=$BENCH_WORKSPACE \
    java ${FACADE_JAVA_OPTS--Xmx384m} -Dcamel.server.port=$rest -Dcamel.management.port=$mgmt -jar "$jar" \
    > "$work/$name.log" 2>&1 &
}
