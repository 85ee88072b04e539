#!/usr/bin/env bash
# All tests: set up the machine, build the solution (which also builds and deploys every plug-in and
# the test plug-ins of tests/assets), then run every test project.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
dotnet build FemHost.sln --nologo -v minimal
dotnet test FemHost.sln --no-build --nologo
