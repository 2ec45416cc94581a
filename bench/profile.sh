#!/usr/bin/env bash
# Where the time goes: Java Flight Recorder samples of MedMamba-T at 224 for batch-1 and batch-16
# inference and for training steps at batch BATCH_TRAIN, each attributed by its innermost project
# frame to GEMM, convolution, scan, norms, activations, layout copies, other; plus the GC pause
# share (from the recording's GC events). Writes OUT_DIR/<case>.jfr and prints a table.
# Usage: bench/profile.sh [OUT_DIR]   (default bench/profile-out)   env: BATCH_TRAIN (16), SIZE (224)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/profile-out}; mkdir -p "$out"
SIZE=${SIZE:-224}; BATCH_TRAIN=${BATCH_TRAIN:-16}
[ -f target/medmamba-0.1.0-SNAPSHOT-cli.jar ] || ./medmamba --version >/dev/null
cp target/medmamba-0.1.0-SNAPSHOT-cli.jar "$out/medmamba-cli.jar"
jdk=/usr/lib/jvm/temurin-25-jdk-amd64/bin
run() {   # the launcher's JVM flags (./medmamba); case, seconds before recording starts (start-up, model construction, JIT warm-up), then bench arguments
  local c=$1 delay=$2; shift 2
  "$jdk/java" -XX:+UseG1GC -XX:G1HeapRegionSize=2m -XX:MaxRAMPercentage=75 -XX:MaxHeapFreeRatio=100 -XX:MinHeapFreeRatio=40 --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
    "-XX:StartFlightRecording=filename=$out/$c.jfr,settings=profile,delay=${delay}s" -jar "$out/medmamba-cli.jar" bench "$@" --json 2>/dev/null | tail -1
}
# each run lasts well beyond its delay, so the recording holds the timed steady state only
run infer-b1 10 inference --image-size "$SIZE" --batch 1 --warmup 40 --repeats 300
run infer-b16 12 inference --image-size "$SIZE" --batch 16 --warmup 4 --repeats 20
run train-b$BATCH_TRAIN 20 train --image-size "$SIZE" --batch "$BATCH_TRAIN" --warmup 3 --repeats 5
for c in infer-b1 infer-b16 train-b$BATCH_TRAIN; do
  "$jdk/jfr" print --json --events jdk.ExecutionSample,jdk.GarbageCollection,jdk.ObjectAllocationSample "$out/$c.jfr" > "$out/$c.json"
done
/usr/bin/python3 bench/profile_table.py "$out" infer-b1 infer-b16 "train-b$BATCH_TRAIN"
