#!/usr/bin/env bash
# All tests: set up the machine, build the solution (which also builds and deploys every plug-in and
# the test plug-ins of tests/assets), then run every test project.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
dotnet build FemHost.sln --nologo -v minimal
log=$(mktemp)
set +e
dotnet test FemHost.sln --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over all test projects.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i + 1); if ($i == "Failed:") f += $(i + 1); if ($i == "Skipped:") s += $(i + 1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
