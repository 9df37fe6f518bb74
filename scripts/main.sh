#!/usr/bin/env bash
# The main job: the scripted expert on 1024 `wide` pick-place worlds on the Rapier backend,
# printing its success rate and throughput. Extra arguments are passed to `gripgen expert`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npx --no-install tsx packages/runner/src/cli/main.ts expert \
  --task pick-place --worlds 1024 --randomization wide --backend rapier --seed 0 "$@"
