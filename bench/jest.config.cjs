/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/../jest.node-env.cjs',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  testTimeout: 120000,
};
