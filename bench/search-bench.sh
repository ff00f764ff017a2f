#!/usr/bin/env bash
# Operation search: top-1 / top-3 accuracy over the evaluation set (src/test/resources/search-intents.yaml) and the
# latency of one search (p50 / p99 / max) over many queries, in process, all 68 operations searchable; then the same
# accuracy over the held-out intents (search-intents-holdout.yaml), which nothing was tuned against.
#   bench/search-bench.sh [QUERIES]      (default 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/prefect-camel.jar ] && [ -d target/lib ] || mvn -B -q package -DskipTests
java -Xmx256m -cp "target/prefect-camel.jar:target/lib/*" bench/SearchBench.java \
  src/test/resources/search-intents.yaml "${1:-200000}" src/test/resources/search-intents-holdout.yaml
