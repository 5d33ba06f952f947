#!/usr/bin/env bash
# System pieces the test matrix needs beyond npm packages:
# - a software Vulkan driver (Mesa lavapipe) so the WebGPU backend runs in Node without a GPU;
# - Debian's Chromium (it bundles SwiftShader) for the WebGPU tests in a real browser;
# - LAMMPS (`lmp`), the reference engine of packages/lammps-check and of bench B4's LAMMPS row.
# All need root (apt-get). Without root they are skipped with a note: the WebGPU projects then
# report "no adapter" / "no browser" and the LAMMPS comparison "lmp not found", and skip, unless
# BROKENRECORD_REQUIRE names them (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "node $(node --version), $(nproc 2>/dev/null || echo '?') cores"

if [[ "$(id -u)" != 0 ]]; then
  echo "setup-system: not root; skipping lavapipe, Chromium and LAMMPS (their tests will skip unless required)"
  exit 0
fi

bash packages/backend-webgpu/scripts/install-lavapipe.sh

bash packages/backend-webgpu/scripts/install-chromium.sh

bash scripts/install-lammps.sh
