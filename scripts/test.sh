#!/usr/bin/env bash
# The project's test command: sets the machine up if needed, then runs every test once against a
# local Redis Cluster that Jest's global setup starts (or REDIS_CLUSTER_NODES, if set).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
pnpm test "$@"
