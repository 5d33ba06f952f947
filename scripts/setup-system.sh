#!/usr/bin/env bash
# System pieces the test matrix needs beyond npm packages. Each backend that needs one adds its
# step here; today the TypeScript backend needs nothing, so this only reports the machine.
set -euo pipefail
echo "node $(node --version), $(nproc 2>/dev/null || echo '?') cores"
