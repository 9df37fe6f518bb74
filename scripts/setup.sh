#!/usr/bin/env bash
# One-time set-up for a fresh Debian/Ubuntu machine with Node 20: system packages
# (Chromium, whose SwiftShader runs WebGPU on GPU-less machines) and the npm workspace.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "gripgen needs Node.js >= 20 (found $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
      echo "setup: installing Chromium (WebGPU through SwiftShader for the browser and GPU tests)" >&2
      $SUDO apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: Chromium not found and no root/sudo to install it; browser features will be unavailable" >&2
    fi
  fi
fi

stamp=node_modules/.gripgen-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm dependencies" >&2
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
