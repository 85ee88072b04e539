#!/usr/bin/env bash
# Regenerates the neural-surrogate experiments under results/neural (docs/neural-surrogate.md).
#   bash experiments/neural/run.sh sweep   # four-scheme sweep on DH source/target triaxial families
#   bash experiments/neural/run.sh         # everything
set -euo pipefail
cd "$(dirname "$0")/../.."
stage="${1:-all}"
out=results/neural
dotnet build -c Release -v q -nologo tools/DhSequences/DhSequences.csproj >/dev/null
dotnet build -c Release -v q -nologo tools/NeuralTrainer/NeuralTrainer.csproj >/dev/null
dh() { dotnet tools/DhSequences/bin/Release/net10.0/dh-sequences.dll "$@"; }
train() { dotnet tools/NeuralTrainer/bin/Release/net10.0/femhost-train.dll "$@"; }

if [[ "$stage" == sweep || "$stage" == all ]]; then
  # Source: the DH model's default constants; target: a "different material" (stronger, slower hardening).
  dh --out $out/sweep-dh/source --mode strain --count 60 --p0-min 50 --p0-max 400 --axial-step 1e-3 --eps-q-max 0.15
  dh --out $out/sweep-dh/target --mode strain --count 40 --p0-min 50 --p0-max 400 --axial-step 1e-3 --eps-q-max 0.15 \
     --set eta_f=1.45 --set A=0.01 --set eta_c=0.9
  train sweep experiments/neural/sweeps/dh-triaxial-transfer.json
fi
