#!/usr/bin/env bash
# Standalone kernel timing: zoo_augment_image of this tree against another revision's (default main), CPU time
# per 28x28 MNIST image on one thread, interleaved, then both kernels' outputs compared bit for bit over every
# setting the tests list (kernel.c says how). Compiled as SwiftPM compiles CKernels in release (clang -O2).
# Usage: Benchmarks/augment/kernel.sh [revision] [images] [rounds]     needs MNIST (ZOO_DATA or Data/mnist)
set -euo pipefail
cd "$(dirname "$0")/../.."
revision=${1:-main}
data=${ZOO_DATA:-Data}/mnist/train-images-idx3-ubyte.gz
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git show "$revision:Sources/CKernels/augment.c" > "$scratch/before.c"
flags=(-O2 -std=gnu11 -ISources/CKernels/include -ISources/CKernels)
clang "${flags[@]}" -Dzoo_augment_image=before_augment_image -Dzoo_augment_scratch_count=before_scratch_count \
    -c "$scratch/before.c" -o "$scratch/before.o"
clang "${flags[@]}" -c Sources/CKernels/augment.c -o "$scratch/after.o"
clang "${flags[@]}" Benchmarks/augment/kernel.c "$scratch/before.o" "$scratch/after.o" -lz -lm -o "$scratch/kernel"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); before = $revision ($(git rev-parse --short "$revision")), after = this tree"
"$scratch/kernel" "$data" "${2:-10000}" "${3:-3}"
