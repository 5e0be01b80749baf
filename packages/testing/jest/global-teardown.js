'use strict';
const { STARTED } = require('./load-testing');

/**
 * Jest global teardown: stops the cluster global setup started (none if REDIS_CLUSTER_NODES was
 * given). Runs in the same process as global setup, hence the global.
 *
 * @example
 * // jest.config.js
 * module.exports = { globalTeardown: '@cluster-pubsub/testing/jest/global-teardown.js' };
 */
module.exports = async function globalTeardown() {
  const cluster = globalThis[STARTED];
  if (cluster === undefined) return;
  delete globalThis[STARTED];
  const { CLUSTER_NODES_ENV } = require('./load-testing').loadTesting();
  delete process.env[CLUSTER_NODES_ENV];
  await cluster.stop();
};
