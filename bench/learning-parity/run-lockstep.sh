#!/usr/bin/env bash
# Lock-step comparison (see lockstep.py): same initial weights, same batches, same AdamW steps,
# drop path off, for MedMamba-T and the small custom network. Prints a loss table per network.
# Usage: bench/learning-parity/run-lockstep.sh [OUT_DIR]   env: STEPS (30), IDX, LIMIT as run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
out=${1:-$here/out/lockstep}; mkdir -p "$out"
STEPS=${STEPS:-30}; IDX=${IDX:-/usr/share/datasets/fashion-mnist}
cd "$root"
[ -f target/medmamba-0.1.0-SNAPSHOT-cli.jar ] || ./medmamba --version >/dev/null
cp target/medmamba-0.1.0-SNAPSHOT-cli.jar "$out/medmamba-cli.jar"
jdk=/usr/lib/jvm/temurin-25-jdk-amd64/bin
"$jdk/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar "$out/medmamba-cli.jar" \
    dataset npz "$IDX" --limit $((STEPS * 32)) --out "$out/fashion.npz" --quiet 2>/dev/null
for c in "tiny|--variant tiny" "custom|--depths 1,1,2,1 --dims 32,64,128,256"; do
  IFS='|' read -r name net <<<"$c"
  d="$out/$name"
  # shellcheck disable=SC2086
  /usr/bin/python3 "$here/lockstep.py" prepare --data "$out/fashion.npz" --out "$d" --steps "$STEPS" $net
  /usr/bin/python3 "$here/lockstep.py" train --out "$d"
  "$jdk/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp "$out/medmamba-cli.jar" \
      "$here/LockStep.java" "$d" 2> >(grep -v 'incubator modules' >&2)
  echo "## $name"
  /usr/bin/python3 "$here/lockstep.py" compare --out "$d"
done
