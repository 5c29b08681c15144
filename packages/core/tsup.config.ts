import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';
import { packageConfig } from '../../tsup.package';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

/**
 * CommonJS dependencies are loaded with require() in the ESM build too. Node imports a CJS package
 * into ESM by parsing its source twice more (module-format detection and cjs-module-lexer's scan
 * for named exports): for tfjs-core's and tfjs-backend-cpu's megabyte bundles that was most of the
 * 0.75 s an `import '@ebm/core'` took, against 0.2 s for require (docs/performance.md).
 */
const CJS_DEPS = /^(@tensorflow\/tfjs-core|@tensorflow\/tfjs-backend-cpu|pngjs|jpeg-js|omggif|cli-progress|onnx-proto)$/;
const requireCjs: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'require-cjs-deps',
  setup(build) {
    build.onResolve({ filter: CJS_DEPS }, (args) => (args.namespace === 'require-cjs' ? { path: args.path, external: true } : { path: args.path, namespace: 'require-cjs' }));
    build.onLoad({ filter: /.*/, namespace: 'require-cjs' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

export default packageConfig(['src/index.ts'], {
  define: { __EBM_VERSION__: JSON.stringify(version) },
  // tfjs-core's gradient registration is ESM with extensionless imports: bundle it (see src/tf.ts).
  // The CJS dependencies are listed too so that tsup leaves them to the plugin below, which keeps
  // them external but loaded with require().
  noExternal: [/register_all_gradients/, CJS_DEPS],
  esbuildPlugins: [requireCjs],
  // The require() that esbuild's ESM output calls for those dependencies.
  banner: ({ format }) => (format === 'esm' ? { js: "import { createRequire as __ebmCreateRequire } from 'node:module';\nconst require = __ebmCreateRequire(import.meta.url);" } : {}),
});
