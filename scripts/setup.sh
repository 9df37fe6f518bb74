#!/usr/bin/env bash
# One-time set-up for a fresh Debian/Ubuntu machine with Node 20: system packages
# (Chromium, whose SwiftShader runs WebGPU on GPU-less machines, and the Vulkan loader
# libvulkan1) and the npm workspace.
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

# The Vulkan loader: Dawn (the `webgpu` npm package behind the Node WebGPU tests) loads
# libvulkan.so.1 and, without a GPU, drives SwiftShader's Vulkan ICD shipped with Chromium.
has_libvulkan() {
  local libs
  libs=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
  case "$libs" in *"libvulkan.so.1 "*) return 0 ;; esac
  for d in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib /lib/x86_64-linux-gnu; do
    [ -e "$d/libvulkan.so.1" ] && return 0
  done
  return 1
}
if ! has_libvulkan; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
      echo "setup: installing libvulkan1 (the Vulkan loader Dawn needs for WebGPU in Node)" >&2
      $SUDO apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libvulkan1 >/dev/null
    else
      echo "setup: libvulkan.so.1 not found and no root/sudo to install libvulkan1; Node WebGPU tests will fail" >&2
    fi
  fi
fi

stamp=node_modules/.gripgen-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm dependencies" >&2
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
