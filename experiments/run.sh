#!/usr/bin/env bash
# Paper-reproduction pipeline (Qu, Zhao, Guan & Feng 2023): builds every tool it needs in Release (once per
# call), then runs femhost-experiments.
#   experiments/run.sh [--quick|--full] [--out DIR] [EXPERIMENT...]     (default: --quick all)
# Experiments: calibrate, pretrain, transfer, multiscale, timings, all. Results: results/experiments/MODE/NAME/.
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
has_name=0
for a in "${args[@]+"${args[@]}"}"; do
  case "$a" in -*) ;; *) has_name=1 ;; esac
done
[ "$has_name" = 1 ] || args+=(all)

projects=(
  src/FemHost/FemHost.csproj
  plugins/DhModel/DhModel.csproj
  plugins/DemRve/DemRve.csproj
  plugins/NeuralSurrogate/NeuralSurrogate.csproj
  tools/DhSequences/DhSequences.csproj
  tools/NeuralTrainer/NeuralTrainer.csproj
  bench/DemRve.Bench/DemRve.Bench.csproj
  tools/Experiments/Experiments.csproj
)
# One build of all of them (a solution filter over FemHost.sln, written to a temporary file), so MSBuild
# evaluates the shared dependencies once and builds in parallel.
slnf="$(mktemp --suffix=.slnf)"
trap 'rm -f "$slnf"' EXIT
{
  printf '{ "solution": { "path": "%s", "projects": [' "$PWD/FemHost.sln"
  sep=""
  for p in "${projects[@]}"; do printf '%s"%s"' "$sep" "${p//\//\\\\}"; sep=", "; done
  printf '] } }\n'
} > "$slnf"
echo "building the pipeline's tools (Release): ${projects[*]}" >&2
dotnet build -c Release --nologo -v quiet "$slnf" >/dev/null \
  || { echo "experiments/run.sh: the Release build failed; run 'dotnet build -c Release <project>' for the projects above to see why" >&2; exit 1; }

rm -f "$slnf"; trap - EXIT
exec dotnet tools/Experiments/bin/Release/net10.0/femhost-experiments.dll "${args[@]}"
