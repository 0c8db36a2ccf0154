#!/bin/bash
#SBATCH --job-name=glassbox-stats
#SBATCH --cpus-per-task=1
#SBATCH --output=glassbox-stats-%A_%a.out
# One task of a SLURM job array: glassbox stats on this task's contiguous share of the
# configuration files listed in LIST (one path a line), written to OUT/shards/shard-NNNNN.npz.
# The merge (`glassbox fit --stats OUT/shards`) reads the shards in name order, i.e. the list
# order, so the merged fit equals `glassbox fit --train <the list>` bit for bit.
#   sbatch --array=0-(S-1) glassbox-array.sh LIST OUT [glassbox stats options, e.g. --preset KA3D]
# GLASSBOX: the command to run (default: glassbox). See submit.sh for the array + merge.
set -euo pipefail
LIST=$1
OUT=$2
shift 2
GLASSBOX=${GLASSBOX:-glassbox}
task=${SLURM_ARRAY_TASK_ID:?run this script as a SLURM array task (sbatch --array=...)}
count=${SLURM_ARRAY_TASK_COUNT:?}
mapfile -t files < <(grep -v '^[[:space:]]*$' "$LIST")
n=${#files[@]}
# task t gets files [t*n/count, (t+1)*n/count)
lo=$(( task * n / count ))
hi=$(( (task + 1) * n / count ))
if [ "$hi" -le "$lo" ]; then
  echo "task $task: no files (n = $n, $count tasks)"; exit 0
fi
mkdir -p "$OUT/shards"
shard=$(printf '%s/shards/shard-%05d.npz' "$OUT" "$task")
$GLASSBOX stats "${files[@]:lo:hi-lo}" -o "$shard" --force "$@"
