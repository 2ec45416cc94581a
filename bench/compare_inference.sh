#!/usr/bin/env bash
# Side-by-side inference benchmark: MedMamba for Java vs the PyTorch CPU reference
# (bench/pytorch_reference.py, both scans: the original's reference loop and the vectorised
# chunked scan), alternating rounds in one invocation on the same machine.
# Usage: bench/compare_inference.sh [ROUNDS] [VARIANT] [IMAGE_SIZE] [BATCHES]   (env SCANS="chunked" skips the slow loop)
#   e.g. bench/compare_inference.sh 2 tiny 224 1,16
# Needs: apt-get install python3-torch libopenblas0-pthread (OpenBLAS; see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}; variant=${2:-tiny}; size=${3:-224}; batches=${4:-1,16}
threads=$(nproc)
source bench/pytorch_peer.sh   # OpenBLAS core type, allocator, header line, BLAS check
for r in $(seq 1 "$rounds"); do
  echo "# round $r"
  ./medmamba bench inference --variant "$variant" --image-size "$size" --batch "$batches" --threads "$threads" --json 2>/dev/null | sed 's/^/java    /'
  for scan in ${SCANS:-chunked loop}; do
    py bench/pytorch_reference.py inference --variant "$variant" --image-size "$size" --batch "$batches" \
        --threads "$threads" --warmup 1 --repeats "${PYTORCH_REPEATS:-2}" --scan "$scan" --json 2>/dev/null | sed 's/^/pytorch /'
  done
done
