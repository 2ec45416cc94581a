#!/usr/bin/env bash
# Side-by-side training benchmark: MedMamba for Java vs the PyTorch CPU reference with its fair,
# linear-in-L scan backward and with the vectorised chunked scan (bench/pytorch_reference.py train),
# in one invocation on one machine. SCANS="chunked" skips the (slow) loop variant.
# Usage: bench/compare_train.sh [VARIANT] [IMAGE_SIZE] [BATCH] [PYTORCH_STEPS]
#   e.g. bench/compare_train.sh tiny 224 16 2
# Needs: apt-get install python3-torch libopenblas0-pthread (OpenBLAS; see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-tiny}; size=${2:-224}; batch=${3:-16}; steps=${4:-2}
threads=$(nproc)
source bench/pytorch_peer.sh   # OpenBLAS core type, allocator, header line, BLAS check
./medmamba bench train --variant "$variant" --image-size "$size" --batch "$batch" --threads "$threads" --json 2>/dev/null | sed 's/^/java    /'
for scan in ${SCANS:-chunked loop}; do
  py bench/pytorch_reference.py train --variant "$variant" --image-size "$size" --batch "$batch" \
      --threads "$threads" --warmup 1 --repeats "$steps" --scan "$scan" --json 2>/dev/null | sed 's/^/pytorch /'
done
