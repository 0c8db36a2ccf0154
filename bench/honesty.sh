#!/bin/sh
# Issue 9 honesty check on the 10 KA 3D T = 0.44 training configurations (README "Analyses"):
# configuration-grouped CV vs spatial-block CV with and without the buffer, 4 folds each, no
# held-out slab. Inherent structures by FIRE (cached in .glassbox-cache). Run after `npm run build`.
set -e
G="node dist/cli/glassbox.js"
R=bench/results/analyses
mkdir -p $R
ALL=$(ls ../shared/data/ka3d-T0.44/train/*.npz | paste -sd, -)
B="--train $ALL --box 15.05657646 --preset KA3D --model ridge,enet --bootstrap 0 --folds 4 --holdout none --interpret off --json"
# reduced reach: R and A without coarse-graining, P at L = 1.5, 2 (reach 2.8, 196 descriptors)
S="--families R,A,P --levels 0 --scales 1.5,2"
$G fit $B $S --cv configs > $R/hc2-configs-reduced.json
$G fit $B $S --cv blocks --blocks 4 > $R/hc2-blocks.json
$G fit $B $S --cv blocks --blocks 4 --buffer 0 > $R/hc2-blocks0.json
# default descriptors (reach 7.5 = half the box: block CV with the buffer has no training rows)
$G fit $B --cv configs > $R/hc2-full-configs.json
$G fit $B --cv blocks --blocks 4 --buffer 0 > $R/hc2-full-blocks0.json
$G fit $B --cv blocks --blocks 4 > $R/hc2-full-blocks-error.txt 2>&1 || true
