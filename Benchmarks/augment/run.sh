#!/usr/bin/env bash
# What --augment costs in training time: MLP and Inception trained with and without it, interleaved (plain,
# augmented, plain, augmented, ...) so both see the same share of a shared machine; the MLP also with the elastic
# field off. Each fit's wall time is `zoo train --json`'s fit_seconds; its CPU time (user + system, every
# thread) comes from /usr/bin/time; the 1-minute load average is read before each run. At the end: augmented /
# plain wall time per round, the median over rounds, and best against best, per binary and setting.
#
# Usage: Benchmarks/augment/run.sh [rounds] [mlp size] [mlp epochs]
#        default 5 rounds of MLP 60k x 5 epochs (~1.5 s a fit, long enough that one descheduling does not
#        decide a round) and Inception 10k x 1 epoch; needs MNIST (ZOO_DATA or Data/mnist);
#        ZOO_BIN=path/to/zoo skips the build and times that binary;
#        ZOO_BIN="before=path/to/zoo after=path/to/other" times several binaries, interleaved within each round
#        (each binary's plain and augmented runs back to back), so they are compared under the same load
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the environment sets them (the project's tests set
# Haswell / 512); the last line says which OpenBLAS core ran.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
mlp_size=${2:-60000}
mlp_epochs=${3:-5}
if [ -z "${ZOO_BIN:-}" ]; then swift build -c release --product zoo >&2; fi
binaries=${ZOO_BIN:-.build/release/zoo}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

run() {  # round, binary name, setting, binary, then zoo train options
    local round=$1 name=$2 setting=$3 zoo=$4; shift 4
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%U %S' -o "$scratch/time" "$zoo" train --seed 0 --quiet --json "$@" > "$scratch/out.json"
    python3 - "$round" "$name" "$setting" "$load" "$scratch/out.json" "$scratch/time" "$scratch/all.tsv" <<'PY'
import json, sys
round_, name, setting, load, out, cpu, table = sys.argv[1:8]
record = json.load(open(out))
record = record[0] if isinstance(record, list) else record
user, system = map(float, open(cpu).read().split()[-2:])
fit = record["fit_seconds"]
label = (f"{name}: " if name else "") + setting
print(f"| {round_} | {label} | {fit:.2f} | {user + system:.2f} | {float(load):.2f} | {100 * record['test_accuracy']:.2f}% |",
      flush=True)
with open(table, "a") as f:
    f.write(f"{round_}\t{name}\t{setting}\t{fit}\n")
PY
}

mlp="mlp ${mlp_size} x ${mlp_epochs}"
echo "(load $(cut -d' ' -f1-3 /proc/loadavg) at the start, $(date -u +%H:%M) UTC)"
echo "| round | run | fit wall s | process CPU s | load (1 min) | test accuracy |"
echo "|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
    for binary in $binaries; do
        name=${binary%%=*}; zoo=${binary#*=}
        [ "$name" = "$binary" ] && name=""
        run "$round" "$name" "$mlp" "$zoo" --model mlp --size "$mlp_size" --epochs "$mlp_epochs"
        run "$round" "$name" "$mlp --augment" "$zoo" --model mlp --size "$mlp_size" --epochs "$mlp_epochs" --augment
        run "$round" "$name" "$mlp --augment --augment-elastic 0" "$zoo" --model mlp --size "$mlp_size" \
            --epochs "$mlp_epochs" --augment --augment-elastic 0
        run "$round" "$name" "inception 10000 x 1" "$zoo" --model inception --size 10000 --epochs 1
        run "$round" "$name" "inception 10000 x 1 --augment" "$zoo" --model inception --size 10000 --epochs 1 --augment
    done
done
python3 - "$scratch/all.tsv" <<'PY'
import statistics, sys
from collections import defaultdict
fits = defaultdict(dict)   # (binary, setting) -> round -> seconds
for line in open(sys.argv[1]):
    round_, name, setting, fit = line.rstrip("\n").split("\t")
    fits[(name, setting)][round_] = float(fit)
print("\naugmented / plain wall time: per round, median, best against best")
for (name, setting), by_round in fits.items():
    if "--augment" not in setting:
        continue
    plain = fits[(name, setting.split(" --augment")[0])]
    ratios = [by_round[r] / plain[r] for r in by_round if r in plain]
    label = (f"{name}: " if name else "") + setting
    print(f"- {label}: " + " ".join(f"{x:.3f}" for x in ratios)
          + f"; median {statistics.median(ratios):.3f}x, best/best {min(by_round.values()) / min(plain.values()):.3f}x")
PY
echo "OpenBLAS core: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}, $(nproc) cores"
