#!/usr/bin/env bash
# GFLOP/s of the tensor core's matmul (OpenBLAS sgemm) for 128x784x256, 128x256x10 and 10000x784x256, best of N:
# `zoo-bench matmul` runs twice, first with the environment's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, then with both
# unset (env -u: OpenBLAS reads them when it loads, so it takes a second process), and the ratio is printed.
# Each run prints the OpenBLAS core it used. Options go to `zoo-bench matmul` (see --help), e.g. --repeats 50.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product zoo-bench >&2
bench=.build/release/zoo-bench

echo "== environment as given (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset})"
given=$("$bench" matmul --json "$@")
echo "== OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"
unset_=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$bench" matmul --json "$@")
python3 - "$given" "$unset_" <<'PY'
import json, sys
given = [json.loads(line) for line in sys.argv[1].splitlines()]
native = [json.loads(line) for line in sys.argv[2].splitlines()]
print(f"OpenBLAS core: {given[0]['openblas_core']} as given, {native[0]['openblas_core']} unset; "
      f"{given[0]['threads']} threads")
print(f"{'shape (MxKxN)':16}{'GFLOP/s':>9}{'unset GFLOP/s':>16}{'ratio unset/given':>20}")
for g, n in zip(given, native):
    print(f"{g['shape']:16}{g['gflops']:9.1f}{n['gflops']:16.1f}{n['gflops'] / g['gflops']:19.2f}x")
PY
