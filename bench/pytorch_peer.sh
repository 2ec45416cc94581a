# Sourced by the compare scripts (after `threads` is set): runs the PyTorch peer at its best and
# prints the header line both record.
# OpenBLAS: the fastest core type for torch.mm here (bench/openblas_coretype.sh), unless the caller set one.
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
