import { defineConfig, type Options } from 'tsup';

/**
 * The build of a library package: ESM and CJS with types and source maps for Node 20. In the CJS
 * build import() is lowered to require() (Jest in CJS mode; research/toolchain.md).
 */
export function packageConfig(entry: string[], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: false,
    esbuildOptions(options, { format }) {
      if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
    },
    ...extra,
  });
}
