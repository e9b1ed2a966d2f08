#!/usr/bin/env bash
# Runs wrangler offline: no metrics, no network look-ups, config kept inside the project.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true
export XDG_CONFIG_HOME="$PWD/.config"
exec npx wrangler "$@"
