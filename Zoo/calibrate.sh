#!/usr/bin/env bash
# Calibrates the pretrained zoo on held-out training digits and fits the weighted vote.
#
# The shipped models are trained on the first 50,000 MNIST training images (Zoo/regenerate.sh), so the last
# 10,000 are digits none of them has seen: `zoo calibrate` fits each model's temperature (or, for the tree's leaf
# frequencies, its smoothing) on them, rewrites Zoo/<family>.safetensors atomically with it, and writes
# Zoo/vote.json: the vote's weights (EM on the pool's log-likelihood) and the not-a-digit limits (99.8th
# percentiles of the held-out digits' statistics). Run it after every regenerate.sh; the cards' calibration
# lines come from `zoo eval` on the test set (printed below).
#
# Usage: Zoo/calibrate.sh        Needs MNIST: set ZOO_DATA to the folder holding mnist/.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product zoo >&2
zoo=.build/release/zoo

"$zoo" calibrate --zoo Zoo --holdout 10000
for file in Zoo/*.safetensors; do
    "$zoo" eval --model-file "$file" --json
done
