#!/usr/bin/env bash
# Prints the OPENBLAS_CORETYPE under which PyTorch's 1024x1024 torch.mm is fastest on this machine
# (empty: OpenBLAS's own detection). OpenBLAS 0.3.21 misdetects some of the CPUs this project runs
# on (an AMD EPYC with AVX-512 fell back to a slow kernel), and on others a named core beats its
# detection (on one Sapphire Rapids VM, 2026-12-03: Cooperlake 297-344, SapphireRapids 345-346,
# detected 318-347, Haswell 222-226 GFLOP/s; near-equal candidates differ by noise only). The scripts that run the PyTorch peer call this unless OPENBLAS_CORETYPE is set.
# Usage: bench/openblas_coretype.sh [THREADS]        (candidates and their GFLOP/s go to stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
best=""; best_g=0
for ct in detected Cooperlake SapphireRapids SkylakeX Haswell Zen; do
  if [[ $ct == detected ]]; then run=(env -u OPENBLAS_CORETYPE); else run=(env OPENBLAS_CORETYPE=$ct); fi
  g=$("${run[@]}" /usr/bin/python3 bench/pytorch_reference.py gflops --threads "$threads" 2>/dev/null \
      | /usr/bin/python3 -c 'import json,sys; print(round(json.load(sys.stdin)["mm_1024_gflops"], 1))' 2>/dev/null || echo 0)
  echo "openblas coretype $ct: $g GFLOP/s" >&2
  if /usr/bin/python3 -c "import sys; sys.exit(0 if $g > $best_g else 1)"; then best_g=$g; best=$([[ $ct == detected ]] && echo "" || echo "$ct"); fi
done
echo "$best"
