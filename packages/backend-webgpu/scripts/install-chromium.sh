#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test project (vitest.browser.config.ts): headless,
# with --enable-unsafe-webgpu it offers WebGPU through its bundled SwiftShader, so no GPU is
# needed. Playwright drives this system browser; it never downloads one. Run as root; idempotent.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1) already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium
echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
