import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts', 'src/emd.ts', 'src/real-meshes.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
