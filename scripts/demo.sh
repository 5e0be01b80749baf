#!/usr/bin/env bash
# Runs every example against a local Redis Cluster (started and stopped around it, unless
# REDIS_CLUSTER_NODES names one), after setting the machine up if needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
node scripts/with-cluster.mjs npx -y "$PNPM_SPEC" --filter @cluster-pubsub/examples run all
