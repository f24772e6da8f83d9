#!/usr/bin/env bash
# What --augment costs in training time: MLP and Inception trained with and without it, interleaved (plain,
# augmented, plain, augmented, ...) so both see the same share of a shared machine; the MLP also with the elastic
# field off. Each fit's wall time is
# `zoo train --json`'s fit_seconds; its CPU time (user + system, every thread, so the augmentation thread's
# work is counted) comes from /usr/bin/time; the 1-minute load average is read before each run.
#
# Usage: Benchmarks/augment/run.sh [rounds]      default 3 rounds; needs MNIST (ZOO_DATA or Data/mnist);
#        ZOO_BIN=path/to/zoo skips the build and times that binary;
#        ZOO_BIN="before=path/to/zoo after=path/to/other" times several binaries, interleaved within each round
#        (each binary's plain and augmented runs back to back), so they are compared under the same load
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the environment sets them (the project's tests set
# Haswell / 512); the table's last column says which OpenBLAS core ran.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
if [ -z "${ZOO_BIN:-}" ]; then swift build -c release --product zoo >&2; fi
binaries=${ZOO_BIN:-.build/release/zoo}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

run() {  # binary, label, then zoo train options
    local zoo=$1 label=$2; shift 2
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%U %S' -o "$scratch/time" "$zoo" train --seed 0 --quiet --json "$@" > "$scratch/out.json"
    python3 - "$label" "$load" "$scratch/out.json" "$scratch/time" <<'PY'
import json, sys
label, load, out, cpu = sys.argv[1:5]
record = json.load(open(out))
record = record[0] if isinstance(record, list) else record
user, system = map(float, open(cpu).read().split()[-2:])
fit = record.get("fit_seconds")
print(f"| {label} | {fit:.2f} | {user + system:.2f} | {float(load):.2f} | {100 * record['test_accuracy']:.2f}% |")
PY
}

echo "| run | fit wall s | process CPU s | load (1 min) | test accuracy |"
echo "(load $(cut -d' ' -f1-3 /proc/loadavg) at the start, $(date -u +%H:%M) UTC)" >&2
echo "|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
    for model in mlp inception; do
        for binary in $binaries; do
            name=${binary%%=*}; zoo=${binary#*=}
            prefix=$([ "$name" = "$binary" ] && echo "" || echo "$name: ")
            if [ "$model" = mlp ]; then
                run "$zoo" "${prefix}mlp 10k x 5 epochs" --model mlp --size 10000 --epochs 5
                run "$zoo" "${prefix}mlp 10k x 5 epochs --augment" --model mlp --size 10000 --epochs 5 --augment
                run "$zoo" "${prefix}mlp 10k x 5 epochs --augment --augment-elastic 0" --model mlp --size 10000 \
                    --epochs 5 --augment --augment-elastic 0
            else
                run "$zoo" "${prefix}inception 2k x 1 epoch" --model inception --size 2000 --epochs 1
                run "$zoo" "${prefix}inception 2k x 1 epoch --augment" --model inception --size 2000 --epochs 1 --augment
            fi
        done
    done
done
echo "OpenBLAS core: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}, $(nproc) cores"
