#!/usr/bin/env bash
# Cross-engine agreement (issue: physics a roboticist can trust): 1000 pick-place trajectories
# generated on each engine (wide randomization, from 10 scripted source demos) and certified by
# replay on each other engine. Usage: bash bench/cross-engine-agreement.sh [out-dir] [count] [engines]
# (engines: comma-separated, default rapier,mujoco,webgpu). Prints, per pair, the fraction still
# successful and the final cube-position difference.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/agreement}
count=${2:-1000}
IFS=, read -r -a engines <<< "${3:-rapier,mujoco,webgpu}"
gripgen() { npm run --silent gripgen -- "$@"; }
mkdir -p "$out"
[ -d "$out/demos" ] || gripgen demos --out "$out/demos" --count 10 >/dev/null
for b in "${engines[@]}"; do
  gripgen generate --source "$out/demos" --out "$out/ds-$b" --count "$count" --worlds 512 --backend "$b" --randomization wide --json > "$out/gen-$b.json" 2>/dev/null
done
for b in "${engines[@]}"; do
  for o in "${engines[@]}"; do
    [ "$b" = "$o" ] && continue
    gripgen certify --on "$o" --worlds 500 "$out/ds-$b" > "$out/cert-$b-on-$o.txt" 2>/dev/null
    printf '%-7s -> %-7s %s | %s\n' "$b" "$o" "$(grep 'still successful' "$out/cert-$b-on-$o.txt" | sed 's/ \+/ /g')" "$(grep 'cube position' "$out/cert-$b-on-$o.txt" | sed 's/ \+/ /g')"
  done
done
