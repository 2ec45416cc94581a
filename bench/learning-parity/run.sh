#!/usr/bin/env bash
# Learning parity: the same networks trained on the same Fashion-MNIST subset with the same recipe,
# by MedMamba for Java (./medmamba train) and by the original network in PyTorch with the
# vectorised scan (train_pytorch.py), SEEDS seeds each, one after the other on this machine.
# Usage: bench/learning-parity/run.sh [OUT_DIR]      (default bench/learning-parity/out)
#   env: LIMIT (images per split, default 1000), EPOCHS (4), BATCH (32), SIZE (32), SEEDS ("0 1 2"),
#        CONFIGS ("tiny custom"),
#        IDX (default /usr/share/datasets/fashion-mnist: apt-get install dataset-fashion-mnist)
# Writes OUT_DIR/results.jsonl (one line per run: side, config, seed, test_accuracy, wall_s, curve),
# then OUT_DIR/summary.md and OUT_DIR/learning-curves.png (plot.py).
# Needs: python3-torch, libopenblas0-pthread, python3-matplotlib (see docs/benchmarks.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
out=${1:-$here/out}; mkdir -p "$out"
LIMIT=${LIMIT:-1000}; EPOCHS=${EPOCHS:-4}; BATCH=${BATCH:-32}; SIZE=${SIZE:-32}; SEEDS=${SEEDS:-0 1 2}
IDX=${IDX:-/usr/share/datasets/fashion-mnist}
[[ -v OPENBLAS_CORETYPE ]] || { ct=$("$root/bench/openblas_coretype.sh" 2>/dev/null); [[ -z $ct ]] || export OPENBLAS_CORETYPE=$ct; }
[ -d "$IDX" ] || { echo "learning-parity: $IDX not found (apt-get install dataset-fashion-mnist)" >&2; exit 2; }
cd "$root"
# a private copy of the jar: rebuilding the project during the run must not break it
[ -f target/medmamba-0.1.0-SNAPSHOT-cli.jar ] || ./medmamba --version >/dev/null
cp target/medmamba-0.1.0-SNAPSHOT-cli.jar "$out/medmamba-cli.jar"
java=$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)
mm() { "$java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar "$out/medmamba-cli.jar" "$@" 2> >(grep -v 'incubator modules' >&2); }
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); limit $LIMIT, $EPOCHS epochs, batch $BATCH, ${SIZE}px"
mm dataset npz "$IDX" --limit "$LIMIT" --out "$out/fashion.npz" --quiet
configs=("tiny|--variant tiny|--variant tiny" "custom|--depths 1,1,2,1 --dims 32,64,128,256|--depths 1,1,2,1 --dims 32,64,128,256")
: > "$out/results.jsonl.new"
CONFIGS=${CONFIGS:-tiny custom}
for seed in $SEEDS; do
  for c in "${configs[@]}"; do
    IFS='|' read -r name ours theirs <<<"$c"
    [[ " $CONFIGS " == *" $name "* ]] || continue
    run="$out/java-$name-$seed"; rm -rf "$run"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    mm train --data "$out/fashion.npz" $ours --image-size "$SIZE" --epochs "$EPOCHS" --batch-size "$BATCH" \
        --no-augment --select-by last --seed "$seed" --out "$run" --quiet >/dev/null
    t1=$(date +%s.%N)
    mm evaluate --model "$run/best.mmb" --data "$out/fashion.npz" --split test --gallery none --out "$run/eval" --quiet >/dev/null
    /usr/bin/python3 - "$run" "$name" "$seed" "$t0" "$t1" >>"$out/results.jsonl.new" <<'PY'
import json, sys
run, name, seed, t0, t1 = sys.argv[1:]
curve = [json.loads(l) for l in open(f"{run}/metrics.jsonl") if l.strip()]
acc = json.load(open(f"{run}/eval/metrics.json"))["accuracy"]
print(json.dumps({"side": "java", "config": name, "seed": int(seed), "test_accuracy": acc, "wall_s": float(t1) - float(t0),
                  "curve": [{"epoch": r["epoch"], "train_loss": r["train_loss"], "val_accuracy": r["val_accuracy"]} for r in curve]}))
PY
    echo "java    $name seed $seed: $(tail -1 "$out/results.jsonl.new" | cut -c1-140)"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    /usr/bin/python3 "$here/train_pytorch.py" --data "$out/fashion.npz" $theirs --image-size "$SIZE" --epochs "$EPOCHS" \
        --batch "$BATCH" --seed "$seed" > "$out/pytorch-$name-$seed.jsonl"
    t1=$(date +%s.%N)
    /usr/bin/python3 - "$out/pytorch-$name-$seed.jsonl" "$name" "$seed" "$t0" "$t1" >>"$out/results.jsonl.new" <<'PY'
import json, sys
path, name, seed, t0, t1 = sys.argv[1:]
rows = [json.loads(l) for l in open(path) if l.strip()]
print(json.dumps({"side": "pytorch", "config": name, "seed": int(seed), "test_accuracy": rows[-1]["test_accuracy"],
                  "wall_s": float(t1) - float(t0), "curve": [r for r in rows[:-1]]}))
PY
    echo "pytorch $name seed $seed: $(tail -1 "$out/results.jsonl.new" | cut -c1-140)"
  done
done
mv "$out/results.jsonl.new" "$out/results.jsonl"
/usr/bin/python3 "$here/plot.py" "$out"
