#!/usr/bin/env bash
# "Installs alone": pack @ebm/core and @ebm/voxel, install the tarballs into a fresh npm project
# (onnxruntime-node's postinstall skipped, as the README documents), and run @ebm/voxel's README
# quick start as ESM and as CJS. Run after `pnpm build`.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pkg in core voxel; do (cd "packages/$pkg" && pnpm pack --pack-destination "$tmp" >/dev/null); done
mkdir "$tmp/app"
cd "$tmp/app"
npm init -y >/dev/null
ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error "$tmp"/ebm-core-*.tgz "$tmp"/ebm-voxel-*.tgz
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
' "$OLDPWD/packages/voxel/README.md"
echo "--- ESM"
EBM_BACKEND=cpu node quickstart.mjs
echo "--- CJS"
EBM_BACKEND=cpu node quickstart.cjs
echo "standalone install OK: $(du -sh node_modules | cut -f1) in node_modules"
