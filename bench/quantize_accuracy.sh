#!/bin/sh
# Float vs 16/8/4-bit accuracy of one bundle on one split: quantize, evaluate, compare per sample.
# Usage: [CALIBRATE=DATA [LIMIT=N] [NEAREST=1]] [REUSE=1] bench/quantize_accuracy.sh MODEL.mmb DATA [SPLIT] [OUT_DIR]
# REUSE=1 keeps the bundles and evaluations OUT_DIR already holds (a run cut short goes on where it stopped)
# Prints a Markdown table (docs/quantization.md); needs python3 (standard library only) for the comparison.
set -eu
MODEL=$1 DATA=$2 SPLIT=${3:-test} OUT=${4:-runs/quantize-accuracy}
HERE=$(cd "$(dirname "$0")/.." && pwd)
MM="$HERE/medmamba"
mkdir -p "$OUT"
done_() { [ -n "${REUSE:-}" ] && [ -f "$OUT/eval-$1/metrics.json" ]; }
done_ float32 || "$MM" evaluate --quiet --model "$MODEL" --data "$DATA" --split "$SPLIT" --out "$OUT/eval-float32" >/dev/null
NAMES="float32"
SPECS='"16" "16 bfloat16" "8" "4 32" "4 64" "4 128"'
# CALIBRATE=DATA adds the 8- and 4-bit bundles quantised with --calibrate DATA (its train split; LIMIT images, default 256)
# (smoothing and GPTQ rounding, the default); NEAREST=1 adds them with --rounding nearest too (smoothing only)
[ -n "${CALIBRATE:-}" ] && SPECS="$SPECS \"8 0 cal\" \"4 32 cal\" \"4 64 cal\" \"4 128 cal\""
[ -n "${CALIBRATE:-}" ] && [ -n "${NEAREST:-}" ] && SPECS="$SPECS \"8 0 nearest\" \"4 32 nearest\" \"4 64 nearest\" \"4 128 nearest\""
eval "set -- $SPECS"
for spec in "$@"; do
  set -- $spec
  case $1 in
    16) name=${2:-float16}; extra="--format ${2:-float16}" ;;
    8) name=int8; extra="" ;;
    4) name=int4-g$2; extra="--group-size $2" ;;
  esac
  if [ "${3:-}" = cal ]; then name=$name-cal; extra="$extra --calibrate $CALIBRATE --limit ${LIMIT:-256}"; fi
  if [ "${3:-}" = nearest ]; then name=$name-cal-nearest; extra="$extra --calibrate $CALIBRATE --limit ${LIMIT:-256} --rounding nearest"; fi
  NAMES="$NAMES $name"
  done_ "$name" && continue
  "$MM" quantize --model "$MODEL" --bits $1 $extra --out "$OUT/$name.mmb" > "$OUT/$name.quantize.txt"   # sizes; with --calibrate its summary
  "$MM" evaluate --quiet --model "$OUT/$name.mmb" --data "$DATA" --split "$SPLIT" --out "$OUT/eval-$name" >/dev/null
done
python3 - "$OUT" "$MODEL" $NAMES <<'PY'
import csv, json, os, sys
out, model, names = sys.argv[1], sys.argv[2], sys.argv[3:]
def load(n):
    d = os.path.join(out, "eval-" + n)
    # one row per image: a file, or a frame / array row of one (DICOM, .npz)
    rows = {(r["file"], r.get("frame", "")): r for r in csv.DictReader(open(os.path.join(d, "predictions.csv")))}
    return rows, json.load(open(os.path.join(d, "metrics.json")))
base, bm = load("float32")
cls = [k for k in next(iter(base.values())) if k.startswith("p_")]
print("| weights | file bytes | accuracy | Δ accuracy (pp) | macro AUC | Δ AUC | largest \\|Δp\\| | predictions changed |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for n in names:
    rows, m = load(n)
    size = os.path.getsize(model if n == "float32" else os.path.join(out, n + ".mmb"))
    dp = max(abs(float(rows[k][c]) - float(base[k][c])) for k in base for c in cls)
    ch = sum(rows[k]["predicted"] != base[k]["predicted"] for k in base)
    print(f"| {n} | {size:,} | {m['accuracy']:.4f} | {100 * (m['accuracy'] - bm['accuracy']):+.2f} | {m['macro_auc']:.4f} | "
          f"{m['macro_auc'] - bm['macro_auc']:+.4f} | {dp:.2e} | {ch}/{len(base)} |")
PY
