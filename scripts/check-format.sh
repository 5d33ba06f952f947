#!/usr/bin/env bash
# Formatting as the repository's configs say: Prettier for TypeScript/JavaScript, clang-format for
# the C++/CUDA/C sources. Installs clang-format from the distribution when missing and root.
set -euo pipefail
cd "$(dirname "$0")/.."
npx prettier --check --log-level warn "**/*.{ts,mjs,js}"
if ! command -v clang-format >/dev/null; then
  if [[ "$(id -u)" == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang-format >/dev/null
  else
    echo "check-format: clang-format is not installed (apt-get install clang-format)" >&2
    exit 1
  fi
fi
git ls-files -z '*.cpp' '*.h' '*.inl' '*.cu' '*.cuh' '*.c' | xargs -0 clang-format --dry-run --Werror
echo "format: ok"
