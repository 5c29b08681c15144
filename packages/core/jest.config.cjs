/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/../../jest.node-env.cjs',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // tfjs-core's gradient registration is ESM (see src/tf.ts): let swc transform tfjs-core's dist files.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?@tensorflow/tfjs-core/dist/)'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  globals: { __EBM_VERSION__: '0.0.0-test' },
  testTimeout: 120000,
};
