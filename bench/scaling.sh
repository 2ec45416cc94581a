#!/usr/bin/env bash
# Cost against image side: MedMamba-T inference (batch 1 and BATCH_INF) and training (batch
# BATCH_TRAIN) at 64 -> 128 -> 224 -> 320 -> 448 -> 512, time and peak heap per image, and the
# fitted exponent of time against pixel count (1.0 = linear, the O(N) claim). One fresh JVM per
# point so one size's heap does not inflate the next one's.
# Usage: bench/scaling.sh [OUT_DIR]   (default bench/scaling-out; writes points.jsonl, scaling.md, scaling.png)
#   env: SIZES ("64 128 224 320 448 512"), BATCH_INF (16), BATCH_TRAIN (2), THREADS (all cores),
#        REPEATS (timed runs or steps per point, median; default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/scaling-out}; mkdir -p "$out"
SIZES=${SIZES:-64 128 224 320 448 512}; BATCH_INF=${BATCH_INF:-16}; BATCH_TRAIN=${BATCH_TRAIN:-2}; THREADS=${THREADS:-$(nproc)}; REPEATS=${REPEATS:-5}
[ -f target/medmamba-0.1.0-SNAPSHOT-cli.jar ] || ./medmamba --version >/dev/null
cp target/medmamba-0.1.0-SNAPSHOT-cli.jar "$out/medmamba-cli.jar"
java=$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)
# the launcher's GC and heap flags (./medmamba), with the heap's ceiling fixed so every point gets the same
mm() { "$java" -XX:+UseG1GC -XX:G1HeapRegionSize=2m -Xmx20g -XX:MaxHeapFreeRatio=100 -XX:MinHeapFreeRatio=40 \
    --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar "$out/medmamba-cli.jar" "$@" 2>/dev/null; }
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $THREADS threads" | tee "$out/points.jsonl.log"
: > "$out/points.jsonl"
for s in $SIZES; do
  mm bench inference --image-size "$s" --batch "1,$BATCH_INF" --threads "$THREADS" --warmup 3 --repeats "$REPEATS" --json \
    | sed "s/^/{\"kind\": \"inference\", \"side\": $s, \"run\": /; s/\$/}/" | tee -a "$out/points.jsonl"
  mm bench train --image-size "$s" --batch "$BATCH_TRAIN" --threads "$THREADS" --warmup 2 --repeats "$REPEATS" --json \
    | sed "s/^/{\"kind\": \"train\", \"side\": $s, \"run\": /; s/\$/}/" | tee -a "$out/points.jsonl"
done
/usr/bin/python3 bench/scaling_plot.py "$out"
