#!/usr/bin/env bash
# Regenerates the neural-surrogate experiments under results/neural (docs/neural-surrogate.md).
#   bash experiments/neural/run.sh sweep   # four-scheme sweep on DH source/target triaxial families
#   bash experiments/neural/run.sh nnfem   # NN1/NN2 on DH plane-strain paths, the 100-step NN-FEM biaxial runs
#                                          # (jacobian and nn2 tangents), timed and compared with the DH run
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

if [[ "$stage" == nnfem || "$stage" == all ]]; then
  # The Release host with the two plug-ins it needs (artifacts/femhost, artifacts/femhost/plugins).
  for p in src/FemHost/FemHost.csproj plugins/DhModel/DhModel.csproj plugins/NeuralSurrogate/NeuralSurrogate.csproj \
           bench/NeuralSurrogate.Bench/NeuralSurrogate.Bench.csproj; do
    dotnet build -c Release -v q -nologo "$p" >/dev/null
  done
  # Reference: the DH biaxial run the surrogate stands in for (curves in cases/results/biaxial-dh).
  dotnet artifacts/femhost/femhost.dll run cases/biaxial-dh.yaml | tail -2
  # Training data: DH strain-controlled plane-strain paths from the case's isotropic 100 kPa, plus the DH run's
  # Gauss-point log (288 histories; the paper trains on its FD-HMM Gauss-point data the same way).
  dh --out $out/nnfem-data --mode plane-strain --count 400 --max-steps 120 --axial-step 1.2e-3 \
     --p0-min 100 --p0-max 100 --monotonic-fraction 0.6 --seed 1 --append cases/results/biaxial-dh/points-all.csv
  train experiments/neural/nn1-nnfem.json
  train experiments/neural/nn2-nnfem.json
  # Both NN-FEM runs (best wall time of 3 with the Release host), iterations, RMS difference from the DH curves.
  dotnet bench/NeuralSurrogate.Bench/bin/Release/net10.0/femhost-neural-bench.dll $out --nnfem
fi
