'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Loads `@cluster-pubsub/testing` for Jest's global setup/teardown, which Jest runs outside its
 * transformed module system: in this repository from `src` through tsx (nothing to build first),
 * in an installed copy from `dist`.
 */
function loadTesting() {
  const src = join(__dirname, '..', 'src', 'index.ts');
  if (existsSync(src)) return require('tsx/cjs/api').require(src, __filename);
  return require('../dist/index.js');
}

/** Where global setup leaves the cluster it started for global teardown (same process). */
const STARTED = Symbol.for('@cluster-pubsub/testing:started-cluster');

module.exports = { loadTesting, STARTED };
