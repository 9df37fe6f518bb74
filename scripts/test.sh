#!/usr/bin/env bash
# The test suite: type-check the workspace, then every vitest test. Ends with the line
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx --no-install tsc -p tsconfig.json --noEmit
npx --no-install tsc -p examples/viewer/tsconfig.json --noEmit  # the viewer: DOM types
mkdir -p out
status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=out/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("out/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit $status
