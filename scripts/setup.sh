#!/usr/bin/env bash
# Self-setup shared by test.sh and demo.sh; source it, don't run it. On a machine with only Node 20+
# and npm: installs redis-server (Redis 7.0+, via apt-get) if missing, then the workspace's
# dependencies with the pnpm version pinned in package.json. Defines `pnpm` for the caller.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "setup: redis-server not found, installing it with apt-get" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server redis-tools
fi

# The pnpm of package.json's packageManager, through npx: corepack would need registry signatures.
PNPM_SPEC="$(node -p "require('./package.json').packageManager")"
pnpm() { npx -y "$PNPM_SPEC" "$@"; }

pnpm install --frozen-lockfile
