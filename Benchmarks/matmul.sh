#!/usr/bin/env bash
# GFLOP/s of the tensor core's matmul (OpenBLAS sgemm) for 128x784x256, 128x256x10 and 10000x784x256, best of N:
# first with the environment's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, then in a child process with both unset.
# Prints the OpenBLAS core each run used. Options go to `zoo bench matmul` (see --help), e.g. --repeats 50.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product zoo >&2
exec .build/release/zoo bench matmul --compare-native-core "$@"
