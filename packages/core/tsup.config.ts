import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: false,
  define: { __EBM_VERSION__: JSON.stringify(version) },
  // tfjs-core's gradient registration is ESM with extensionless imports: bundle it (see src/tf.ts).
  noExternal: [/register_all_gradients/],
  // esbuild keeps native import() in CJS output, which Jest (CJS mode) rejects without
  // --experimental-vm-modules; lower it to require() in the CJS build only.
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
  },
});
