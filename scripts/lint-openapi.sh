#!/usr/bin/env bash
# Lints the facade's OpenAPI document with Spectral's spectral:oas ruleset (.spectral.yaml); fails on an error.
# Spectral is installed from npm into .cache/spectral on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/spectral
if [ ! -x "$dir/node_modules/.bin/spectral" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error @stoplight/spectral-cli@6.15.0 >/dev/null
fi
"$dir/node_modules/.bin/spectral" lint --fail-severity=error src/main/resources/openapi/prefect-camel-openapi.yaml
