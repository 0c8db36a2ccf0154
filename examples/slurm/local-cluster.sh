#!/bin/sh
# A throw-away single-node SLURM cluster (munge + slurmctld + slurmd) in DIR, for testing
# glassbox-array.sh on one machine (test/slurm.test.ts). Needs root and Debian's slurm-wlm + munge.
#   local-cluster.sh start DIR    -> prints "export SLURM_CONF=DIR/slurm.conf"
#   local-cluster.sh stop DIR
# Ports 16817/16818 (not SLURM's defaults, so a real installation is not disturbed).
set -eu
cmd=$1
dir=$(cd "$2" && pwd)
case "$cmd" in
start)
  host=$(hostname -s)
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  cp /etc/munge/munge.key "$dir/munge/munge.key"
  chmod 600 "$dir/munge/munge.key"
  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/seed"
  cat > "$dir/slurm.conf" <<CONF
ClusterName=glassbox-test
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$dir/slurm.conf"
  slurmd -f "$dir/slurm.conf"
  # wait until the node takes jobs
  i=0
  until sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; do
    i=$((i + 1))
    if [ $i -gt 60 ]; then echo "local-cluster: the node did not come up (see $dir/*.log)" >&2; exit 1; fi
    sleep 0.5
  done
  echo "export SLURM_CONF=$dir/slurm.conf"
  ;;
stop)
  for p in slurmd.pid slurmctld.pid munge/munged.pid; do
    [ -f "$dir/$p" ] || continue
    pid=$(cat "$dir/$p")
    kill "$pid" 2>/dev/null || continue
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  done
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
