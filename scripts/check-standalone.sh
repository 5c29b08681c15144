#!/usr/bin/env bash
# "Installs alone": for each modality package, pack it with @ebm/core and @ebm/geometry, install the tarballs
# into a fresh npm project (onnxruntime-node's postinstall skipped, as the READMEs document), and
# run the package README's quick start as ESM and as CJS. Run after `pnpm build`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pkg in core geometry voxel pointcloud image video; do (cd "packages/$pkg" && pnpm pack --pack-destination "$tmp" >/dev/null); done
for pkg in voxel pointcloud image video; do
  echo "=== @ebm/$pkg"
  mkdir "$tmp/app-$pkg"
  cd "$tmp/app-$pkg"
  npm init -y >/dev/null
  ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error "$tmp"/ebm-core-*.tgz $([ "$pkg" = image ] || [ "$pkg" = video ] || echo "$tmp"/ebm-geometry-*.tgz) "$tmp"/ebm-$pkg-*.tgz
  # The quick start, as written in the README (ESM, top-level await) ...
  node -e '
const fs = require("fs");
const md = fs.readFileSync(process.argv[1], "utf8");
const code = /```js\n([\s\S]*?)```/.exec(md)[1];
fs.writeFileSync("quickstart.mjs", code);
// ... and the same program as CommonJS: imports become requires, the body an async function.
const cjs = code.replace(/^import \{([^}]*)\} from (\x27[^\x27]+\x27);$/gm, "const {$1} = require($2);");
const lines = cjs.split("\n");
const body = lines.filter((l) => !l.startsWith("const {") || !l.includes("require("));
const reqs = lines.filter((l) => l.startsWith("const {") && l.includes("require("));
fs.writeFileSync("quickstart.cjs", reqs.join("\n") + "\n(async () => {\n" + body.join("\n") + "\n})().catch((e) => { console.error(e); process.exit(1); });\n");
' "$root/packages/$pkg/README.md"
  echo "--- ESM"
  EBM_BACKEND=cpu node quickstart.mjs
  echo "--- CJS"
  EBM_BACKEND=cpu node quickstart.cjs
  # tfjs autodiff works from the installed package (the gradient registration is bundled into core).
  EBM_BACKEND=cpu node -e '
const { functionEnergy, initBackend, tf } = require("@ebm/core");
initBackend().then(async () => {
  const e = functionEnergy((x) => tf.sum(tf.square(tf.conv2d(x, tf.ones([3, 3, 1, 1]), 1, "same")), [1, 2, 3]));
  const { grad } = await e.energyAndGrad(tf.ones([1, 4, 4, 1]));
  const s = (await tf.sum(grad).data())[0];
  if (!(s > 0)) throw new Error(`tf.grad gave ${s}`);
  console.log(`--- tfjs gradients from the installed package: sum ${s}`);
});'
  echo "standalone install of @ebm/$pkg OK: $(du -sh node_modules | cut -f1) in node_modules"
  cd "$root"
done
