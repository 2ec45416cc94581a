#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with Jazzer (libFuzzer for the JVM).
#   fuzz/run.sh TARGET [SECONDS]      TARGET: Image Jpeg JpegLs Dicom Pickle Pth Safetensors Npz CsvText
# Seeds come from fuzz/src Seeds (generated + cut from src/test/resources/fixtures); the growing
# corpus is kept in fuzz/corpus/TARGET, findings in fuzz/findings/TARGET, the log in fuzz/logs.
# The limits are lowered (64 MiB images) so that every check-before-allocate runs fast under -Xmx1g:
# an allocation before a check shows up as an OutOfMemoryError finding.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export PATH="$JAVA_HOME/bin:$PATH"
if [[ "${FUZZ_SKIP_BUILD:-}" != 1 ]]; then
  (cd .. && mvn -q -B install -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
  mvn -q -B package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
cp="target/classes:$(cat target/classpath.txt)"
java_opts=(-Xmx1g -Xss1m --add-modules jdk.incubator.vector
  -Dmedmamba.limits.imageBytes=67108864 -Dmedmamba.limits.fileBytes=67108864 -Dmedmamba.limits.zipEntryBytes=67108864)
if [[ ! -d seeds ]]; then java "${java_opts[@]}" -cp "$cp" org.medmamba.fuzz.Seeds seeds ../src/test/resources/fixtures 2>/dev/null; fi
mkdir -p "corpus/$target" "findings/$target" logs
log="logs/$target.log"
echo "fuzzing $target for ${seconds}s (log: fuzz/$log)"
set +e
java "${java_opts[@]}" -cp "$cp" com.code_intelligence.jazzer.Jazzer \
  --target_class="org.medmamba.fuzz.Targets\$$target" \
  --instrumentation_includes='org.medmamba.**' \
  --keep_going=50 --reproducer_path="findings/$target" \
  -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=3072 \
  -artifact_prefix="findings/$target/" \
  "corpus/$target" "seeds/$target" > "$log" 2>&1
rc=$?
set -e
execs=$(grep -oE '^Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -1)
findings=$(grep -c '^== Java Exception' "$log" || true)
echo "$target: ${execs:-?} executions in ${seconds}s, $findings findings, exit $rc"
grep -A3 '^== Java Exception' "$log" | grep -E 'Exception|Error|at org.medmamba' | sort | uniq -c | sort -rn | head -20 || true
