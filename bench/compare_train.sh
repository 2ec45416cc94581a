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
# OpenBLAS at its best: the fastest core type for torch.mm here, unless the caller set one
[[ -v OPENBLAS_CORETYPE ]] || { ct=$(bench/openblas_coretype.sh "$threads" 2>/dev/null); [[ -z $ct ]] || export OPENBLAS_CORETYPE=$ct; }
# glibc maps every allocation above 32 MB fresh and unmaps it on free, so the peer's (B, D, L, N)
# tensors were faulted in page by page on every pass (1.8 M faults for 4 loop passes); keeping
# freed memory in the heap made the loop 10-20 % faster (docs/benchmarks.md). PYTORCH_MALLOC=default turns it off.
py() {
  if [[ ${PYTORCH_MALLOC:-tuned} == default ]]; then /usr/bin/python3 "$@"
  else MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000 /usr/bin/python3 "$@"; fi
}
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(detected)}, PYTORCH_MALLOC=${PYTORCH_MALLOC:-tuned}"
py bench/pytorch_reference.py gflops --threads "$threads"
./medmamba bench train --variant "$variant" --image-size "$size" --batch "$batch" --threads "$threads" --json 2>/dev/null | sed 's/^/java    /'
for scan in ${SCANS:-chunked loop}; do
  py bench/pytorch_reference.py train --variant "$variant" --image-size "$size" --batch "$batch" \
      --threads "$threads" --warmup 1 --repeats "$steps" --scan "$scan" --json 2>/dev/null | sed 's/^/pytorch /'
done
