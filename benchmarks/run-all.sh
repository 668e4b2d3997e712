#!/usr/bin/env bash
# The whole side-by-side comparison in one run: the BenchmarkDotNet suite (short job), then the
# PyTorch script, then the report with the StaticNet/PyTorch ratios from this same run. About
# 8 minutes on the 2-core development machine; results land in BenchmarkDotNet.Artifacts/side-by-side/.
set -euo pipefail
cd "$(dirname "$0")/.."
out="BenchmarkDotNet.Artifacts/side-by-side"
rm -rf "$out"
mkdir -p "$out"

# Debian's PyTorch, on OpenBLAS: its default reference BLAS is an order of magnitude slower and
# a comparison against it would be a strawman.
# FMNIST-IMAGES reads the Fashion-MNIST test images from Debian's dataset-fashion-mnist.
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-openmp dataset-fashion-mnist >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-openmp dataset-fashion-mnist >/dev/null
fi
for library in libblas.so.3 liblapack.so.3; do
  update-alternatives --quiet --set "$library-x86_64-linux-gnu" "/usr/lib/x86_64-linux-gnu/openblas-openmp/$library"
done

dotnet run -c Release --project benchmarks/StaticNet.Benchmarks -- \
  --filter '*InferenceBenchmarks*' '*TrainingBenchmarks*' '*SeedFitBenchmarks*' '*PeakFmaBenchmarks*' \
  --job short --exporters json --artifacts "$out/dotnet"

# The machine's environment pins OpenBLAS' core type for old builds' sake; PyTorch's OpenBLAS
# should pick its own kernel here (the script prints which).
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/pytorch/train_bench.py --json "$out/pytorch.json"

python3 benchmarks/report.py "$out" | tee "$out/report.md"
