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
for p in "${projects[@]}"; do
  echo "building $p (Release)" >&2
  dotnet build -c Release --nologo -v quiet "$p" >/dev/null || { echo "experiments/run.sh: build of $p failed; run 'dotnet build -c Release $p' to see why" >&2; exit 1; }
done

exec dotnet tools/Experiments/bin/Release/net10.0/femhost-experiments.dll "${args[@]}"
