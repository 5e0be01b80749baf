'use strict';
/**
 * Jest setup file: Node defines Symbol.asyncDispose / Symbol.dispose on its own realm only, and Jest
 * runs each test file in a fresh vm realm without them, so `await using` fails there with
 * "Symbol.asyncDispose is not defined". Node's symbols are registered ones (`nodejs.asyncDispose`),
 * so this defines the very same symbols, not look-alikes: objects made outside the realm still match.
 *
 * @example
 * // jest.config.js
 * module.exports = { setupFiles: ['@cluster-pubsub/testing/jest/setup-dispose-symbols.js'] };
 */
for (const name of ['asyncDispose', 'dispose']) {
  if (typeof Symbol[name] !== 'symbol') {
    Object.defineProperty(Symbol, name, { value: Symbol.for(`nodejs.${name}`) });
  }
}
