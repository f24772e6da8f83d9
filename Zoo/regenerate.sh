#!/usr/bin/env bash
# Regenerates the pretrained zoo: one model per family trained on the first 50,000 MNIST training images
# (seed 0, all of them fitted: `--calibration-split 0`, since the last 10,000 are held out for Zoo/calibrate.sh,
# which must run next and calibrates on them), saved as
# Zoo/<family>.safetensors with its model card Zoo/<family>.md (architecture, command, data, seed, test accuracy,
# confusion matrix, fit time, machine).
#
# Usage: Zoo/regenerate.sh [family ...]     default: every family listed below
# Needs MNIST: set ZOO_DATA to the folder holding mnist/ (or run `zoo data fetch mnist`).
# ShippedZooTests checks that every model here still reaches its card's accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product zoo >&2
zoo=.build/release/zoo

if [ $# -gt 0 ]; then families=("$@"); else families=(tree linear perceptron logistic mlp inception); fi

for family in "${families[@]}"; do
    case "$family" in
        tree)       options=() ;;
        linear)     options=() ;;
        perceptron) options=(--averaged) ;;
        logistic)   options=() ;;
        mlp)        options=(--hidden 256 --augment --augment-elastic 0 --epochs 40) ;;
        inception)  options=(--inception-width 2 --augment --augment-elastic 0 --epochs 40) ;;
        *) echo "unknown family '$family'" >&2; exit 2 ;;
    esac
    echo "training $family on 50k MNIST images..." >&2
    "$zoo" train --model "$family" --size 50000 --seed 0 --quiet "${options[@]}" --calibration-split 0 \
        --save "Zoo/$family.safetensors" --card "Zoo/$family.md"
done

du -ch Zoo/*.safetensors | tail -n 1 >&2
echo "now run Zoo/calibrate.sh: the models are uncalibrated and Zoo/vote.json is stale" >&2
