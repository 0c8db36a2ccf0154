#!/bin/bash
# Submit the whole sharded fit to SLURM: a job array of S `glassbox stats` tasks over the training
# list, one task for the test list (optional), then the merge `glassbox fit --stats`, which runs
# when every shard task has succeeded (afterok). Prints the merge job's id.
#   submit.sh TRAINLIST TESTLIST|- OUT S [glassbox stats options, e.g. --preset KA3D --box 15.0566]
# Results: OUT/fit/model.json, OUT/fit/results.json, OUT/fit.json (the --json print).
# GLASSBOX: the command to run (default: glassbox); FIT_OPTIONS: extra options of the merge fit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TRAIN=$1
TEST=$2
OUT=$3
S=$4
shift 4
mkdir -p "$OUT/shards"
export GLASSBOX=${GLASSBOX:-glassbox}
deps=$(sbatch --parsable --export=ALL --array=0-$((S - 1)) --output="$OUT/stats-%A_%a.out" "$here/glassbox-array.sh" "$TRAIN" "$OUT" "$@")
testopt=""
if [ "$TEST" != "-" ]; then
  mkdir -p "$OUT/test"
  tj=$(sbatch --parsable --export=ALL --output="$OUT/test-stats-%j.out" \
    --wrap "$GLASSBOX stats \$(grep -v '^[[:space:]]*\$' '$TEST') -o '$OUT/test/test.npz' --force --role test $*")
  deps="$deps:$tj"
  testopt="--test-stats '$OUT/test'"
fi
sbatch --parsable --export=ALL --dependency=afterok:"$deps" --output="$OUT/fit-%j.out" \
  --wrap "$GLASSBOX fit --stats '$OUT/shards' $testopt --out '$OUT/fit' --force --json ${FIT_OPTIONS:-} > '$OUT/fit.json'"
