#!/bin/bash
# Leave-one-volume-out: the demo trained and tested once per volume of demo-data/ (that volume as
# test, the next one in the build's seeded order as validation, the other six training), with the
# demo's settings (./medmamba demo --data FOLD). About 1 minute per volume on 2 cores.
# Prints one line per volume: accuracy, macro AUC and the test sensitivity per class.
# Usage: demo-data/leave_one_volume_out.sh [WORK_DIR]   (default: a temporary folder)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"
echo "folds, runs and logs in $WORK" >&2
# the seeded order of build_demo_data.py's split (random.Random("20261127-split") over the sorted ids)
ORDER=$(/usr/bin/python3 -c 'import csv,random,sys; g=sorted({r["group"] for r in csv.DictReader(open(sys.argv[1]))}); random.Random("20261127-split").shuffle(g); print(" ".join(g))' "$HERE/manifest.csv")
read -ra VOL <<< "$ORDER"
n=${#VOL[@]}
for i in "${!VOL[@]}"; do
  test=${VOL[$i]}; val=${VOL[$(( (i + 1) % n ))]}
  fold="$WORK/$test"
  rm -rf "$fold" "$fold-run"
  /usr/bin/python3 - "$HERE" "$fold" "$test" "$val" <<'PY'
import csv, os, shutil, sys
src, dst, test, val = sys.argv[1:5]
for r in csv.DictReader(open(os.path.join(src, "manifest.csv"))):
    split = "test" if r["group"] == test else "val" if r["group"] == val else "train"
    d = os.path.join(dst, split, r["label"])
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(os.path.join(src, r["path"]), os.path.join(d, os.path.basename(r["path"])))
PY
  if ! "$HERE/../medmamba" demo --data "$fold" --out "$fold-run" > "$fold.log" 2>&1; then
    echo "leave_one_volume_out.sh: the demo failed with $test held out; see $fold.log" >&2
    exit 1
  fi
  acc=$(grep -oE 'test accuracy [0-9.]+' "$fold.log" | awk '{print $3}')
  auc=$(grep -oE 'macro AUC [0-9.]+' "$fold.log" | tail -1 | awk '{print $3}')
  sens=$(grep -E 'test sensitivity per class' "$fold.log" | sed 's/.*per class: //')
  printf '%-22s val %-22s accuracy %s  macro AUC %s  %s\n' "$test" "$val" "$acc" "$auc" "$sens"
done
