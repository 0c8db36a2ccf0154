#!/bin/sh
# Issue 9 measurements on ../shared/data (README "Analyses"): run from the repository root after
# `npm run build`. Writes bench/results/analyses/*.json (reports in /tmp/glassbox-analyses/).
set -e
G="node dist/cli/glassbox.js"
S=../shared/data
R=bench/results/analyses
O=/tmp/glassbox-analyses
mkdir -p $R $O
uptime > $R/uptime-start.txt
K=$S/ka3d-T0.44/train/isoconfig_N4096T0.44
TR=$(for i in 1 2 3 4 5 6 7; do printf "%s," ${K}_${i}_tc07.npz; done | sed 's/,$//')
TE=${K}_8_tc07.npz,${K}_9_tc07.npz,${K}_10_tc07.npz
ALL=$(ls $S/ka3d-T0.44/train/*.npz | paste -sd, -)
# D. KA3D T=0.44: every model, ridge trace, paths, 1-SE model, reproducibility (inherent structures by FIRE, cached)
$G fit --train $TR --test $TE --box 15.05657646 --preset KA3D --model all --out $O/ka3d-interp --force --quiet > $R/ka3d-interp.txt
cp $O/ka3d-interp/results.json $R/ka3d-interp.json
# C. KA3D T=0.56: r(t) over dr_1..dr_8, train conf1-3, test conf4
X=$S/ka3d-T0.56
$G fit --train $X/conf1.xyz,$X/conf2.xyz,$X/conf3.xyz --test $X/conf4.xyz --preset KA3D --target-column 'dr_*' --published $S/glassbench_published_curves.json --out $O/ka3d-056-rt --force --quiet > $R/ka3d-056-rt.txt
cp $O/ka3d-056-rt/results.json $R/ka3d-056-rt.json
# B. KA2D: the eight files as one configuration at eight times (held-out slab)
D=$S/ka2d-T0.23/N1290T0.23_151
$G fit --over-time --train ${D}_tc05.npz,${D}_tc10.npz,${D}_tc15.npz,${D}_tc20.npz,${D}_tc25.npz,${D}_tc30.npz,${D}_tc35.npz,${D}_tc40.npz \
  --times 0.1,1.1,11.64,122.47,1288.41,13554,142587,1500000 --preset KA2D --target cage_abs \
  --published $S/glassbench_published_curves.json --out $O/ka2d-rt --force --quiet > $R/ka2d-rt.txt
cp $O/ka2d-rt/results.json $R/ka2d-rt.json
# A. the acceptance command
$G fit --train ${D}_tc35.npz --preset KA2D --target cage_abs --json > $R/ka2d-accept.json
# F. a non-propensity target: inherent-structure energy per particle from family R alone
node bench/is-energy-xyz.mjs $O/eis --box 15.05657646 --preset KA3D ${K}_1_tc07.npz ${K}_2_tc07.npz ${K}_3_tc07.npz ${K}_4_tc07.npz
E=$O/eis/isoconfig_N4096T0.44
EF="--train ${E}_1_tc07_eIS.xyz,${E}_2_tc07_eIS.xyz,${E}_3_tc07_eIS.xyz --test ${E}_4_tc07_eIS.xyz --preset KA3D --target-column e_IS --families R --levels 0 --model all --interpret off"
$G fit $EF --structure inherent --out $O/eis-fit --force --quiet > $R/is-energy-R.txt
cp $O/eis-fit/results.json $R/is-energy-R.json
$G predict --model $O/eis-fit/model.json ${E}_4_tc07_eIS.xyz --target-column e_IS -o $O/eis-pred.xyz --force --json > $R/is-energy-R-predict.json
$G fit $EF --structure thermal --json > $R/is-energy-R-thermal.json
uptime > $R/uptime-end.txt
