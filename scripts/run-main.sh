#!/usr/bin/env bash
# The main job: set up the machine, build everything in Release, run the main case.
# The case is one variable: a file under cases/points/ runs with `femhost point` (single material
# point), any other case file with `femhost run` (boundary value problem).
MAIN_CASE="cases/biaxial-dh.yaml"

set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
dotnet build FemHost.sln -c Release --nologo -v minimal

verb=run
case "$MAIN_CASE" in cases/points/*) verb=point ;; esac
echo "== femhost $verb $MAIN_CASE"
dotnet artifacts/femhost/femhost.dll "$verb" "$MAIN_CASE"
