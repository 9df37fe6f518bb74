#!/usr/bin/env bash
# One-time set-up for a fresh Debian/Ubuntu machine with Node 20: system packages
# (Chromium, whose SwiftShader runs WebGPU on GPU-less machines, the Vulkan loader libvulkan1,
# Python's msgpack module for the Python dataset reader, numpy for the Python package python/gripgen, h5py for the robomimic export test, the DejaVu fonts for chart PNGs, Redis for the generation queue) and the
# npm workspace.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "gripgen needs Node.js >= 20 (found $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# Installs Debian package $1 with apt (root or sudo), saying why ($2); without either, says what
# will not work ($3) and goes on.
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "setup: $1 is missing and there is no root/sudo to install it; $3" >&2
    return 0
  fi
  echo "setup: installing $1 ($2)" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  apt_install chromium "WebGPU through SwiftShader for the browser and GPU tests" "browser features will be unavailable"
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
  apt_install libvulkan1 "the Vulkan loader Dawn needs for WebGPU in Node" "Node WebGPU tests will fail"
fi

# Whether python3 or Debian's /usr/bin/python3 imports module $1: Debian's python3-* packages
# serve /usr/bin/python3, and a python3 earlier on PATH (pyenv, a venv) may not see them, so either
# interpreter having the module is enough (the tests try both).
has_python_module() {
  local py
  for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null 2>&1 && "$py" -c "import $1" >/dev/null 2>&1 && return 0
  done
  return 1
}

# Python's msgpack module, for the dataset reader examples/python/read_dataset.py and its test.
has_python_module msgpack || apt_install python3-msgpack "the Python dataset reader examples/python/read_dataset.py" "the Python dataset reader test will fail"

# numpy, which the Python package python/gripgen (vector env, dataset loader) needs, and its test
# (packages/runner/test/python-vec-env.test.ts).
has_python_module numpy || apt_install python3-numpy "the Python package python/gripgen (make_vec_env, load_dataset)" "the Python vector env test will fail"

# Python's h5py, the independent reader the robomimic export test (`gripgen export --format
# robomimic`) checks the HDF5 file with.
has_python_module h5py || apt_install python3-h5py "reading robomimic exports back in the export test" "the robomimic export test will be skipped"

# PyTorch and ONNX (Debian's builds, no download outside the package archive), optional for users
# of python/gripgen: the test of gripgen.TorchDataset and of examples/python/train_torch_onnx.py
# (PyTorch training -> ONNX with gripgen metadata -> gripgen eval) needs them.
has_python_module torch || apt_install python3-torch "gripgen.TorchDataset and the PyTorch -> ONNX example's test" "the PyTorch test will fail"
has_python_module onnx || apt_install python3-onnx "the ONNX metadata of the PyTorch example" "the PyTorch test will fail"

# A font for the text of `gripgen curve`'s chart PNGs: resvg draws no text at all without a system
# font, and asks for DejaVu Sans first.
has_dejavu_sans() {
  [ -n "$(find /usr/share/fonts /usr/local/share/fonts -name 'DejaVuSans.ttf' -print -quit 2>/dev/null)" ]
}
if ! has_dejavu_sans; then
  apt_install fonts-dejavu-core "text in the scaling-curve chart PNGs" "chart PNGs will have no text"
fi

# Redis, the store of the distributed generation queue (gripgen generate --queue, gripgen worker);
# its tests start their own redis-server on a free loopback port, so the service is not needed.
if ! command -v redis-server >/dev/null 2>&1; then
  apt_install redis-server "the queue of distributed generation and its tests" "gripgen generate --queue needs a Redis elsewhere; its tests will be skipped"
fi

# ffmpeg encodes the frames of `gripgen render` into .mp4 / .webm / .gif (and its test reads the
# video back with ffprobe).
if ! command -v ffmpeg >/dev/null 2>&1; then
  apt_install ffmpeg "encoding rollout videos (gripgen render)" "gripgen render will fail; its test will be skipped"
fi

stamp=node_modules/.gripgen-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm dependencies" >&2
  # onnxruntime-node: the CPU binaries in its npm package; its install script would download CUDA ones from NuGet
  ONNXRUNTIME_NODE_INSTALL=skip PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
