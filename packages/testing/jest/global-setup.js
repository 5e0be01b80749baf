'use strict';
const { loadTesting, STARTED } = require('./load-testing');

/**
 * Jest global setup: provides the cluster under test as REDIS_CLUSTER_NODES=host:port,…
 *
 * With REDIS_CLUSTER_NODES already set (`pnpm cluster start`, `scripts/with-cluster.mjs`, CI
 * service), that cluster is used after checking it is stable, so a wrong address fails here with
 * one clear message instead of in every test. Otherwise a 3-master, 1-replica cluster is started;
 * workers inherit the variable because Jest forks them after global setup.
 *
 * @example
 * // jest.config.js
 * module.exports = { globalSetup: '@cluster-pubsub/testing/jest/global-setup.js' };
 */
module.exports = async function globalSetup() {
  const testing = loadTesting();
  const fromEnv = process.env[testing.CLUSTER_NODES_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    await testing.clusterUnderTest({ timeoutMs: 15_000 }).waitForStable();
    return;
  }
  const cluster = await testing.startCluster({ masters: 3, replicasPerMaster: 1 });
  process.env[testing.CLUSTER_NODES_ENV] = cluster.nodesEnv;
  globalThis[STARTED] = cluster;
};
