#!/usr/bin/env bash
# The main job: the quick scaling curve end to end on pick-place's `mixed` worlds (30 % narrow,
# 70 % tight): source demos from the scripted expert → MimicGen-style generation of 1000 trajectories
# → behaviour-cloning policies trained on the first 10, 100 and 1000 → each evaluated on 500
# held-out worlds → the fit success = a + b·log10(N), curve.{json,csv,svg,png} and report.html in
# out/quick-curve. Re-running reuses what is done. Extra arguments are passed to `gripgen curve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npx --no-install tsx packages/runner/src/cli/main.ts curve --quick --task pick-place --randomization mixed --out out/quick-curve "$@"
