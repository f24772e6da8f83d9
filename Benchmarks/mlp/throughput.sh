#!/usr/bin/env bash
# MLP 784-256-10 training throughput at 60k MNIST images (img/s of the best steady-state epoch, the first epoch
# excluded), its share of the machine's sgemm, and where one training step's time goes (GEMM, optimizer,
# elementwise/copies): `zoo-bench mlp` (Sources/ZooBench/MLPThroughput.swift, timing MLP.fit itself), run
#   1. with the environment's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (what tests and CI get),
#   2. with both unset (OpenBLAS picks this CPU's own kernels),
# then JAX (jitted training step, XLA CPU) and PyTorch on the same network, data and batch size, and the ratios
# zoo / JAX and zoo / PyTorch.
# Each run prints the OpenBLAS core it used. Needs ZOO_DATA (folder holding mnist/) or --data-dir.
#
#   Benchmarks/mlp/throughput.sh [--epochs 4] [--size 60000]     (extra options go to both zoo and PyTorch)
# Makes virtual environments on first use: torch==2.13.0 (CPU) in Benchmarks/mlp/.venv, jax[cpu] in
# Benchmarks/mlp/.venv-jax (both from PyPI).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Benchmarks/mlp
swift build -c release --product zoo-bench >&2
bench=.build/release/zoo-bench

# Runs a command, shows its output, and keeps the thousands of img/s of its "best steady-state epoch" line in $best.
measure() {
    local output
    output=$("$@")
    printf '%s\n' "$output"
    best=$(printf '%s\n' "$output" | sed -n 's/^best steady-state epoch: \([0-9.]*\)k img\/s.*/\1/p' | tail -1)
}

echo "== zoo, environment as given"
measure "$bench" mlp "$@"
as_given=$best
echo "== zoo, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"
measure env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$bench" mlp "$@"
native=$best

if [[ ! -x "$here/.venv/bin/python" ]]; then
    echo "creating $here/.venv (numpy, torch==2.13.0 CPU)" >&2
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install --quiet --upgrade pip
    "$here/.venv/bin/pip" install --quiet numpy torch==2.13.0
fi
if [[ ! -x "$here/.venv-jax/bin/python" ]]; then
    echo "creating $here/.venv-jax (numpy, jax[cpu])" >&2
    python3 -m venv "$here/.venv-jax"
    "$here/.venv-jax/bin/pip" install --quiet --upgrade pip
    "$here/.venv-jax/bin/pip" install --quiet numpy "jax[cpu]"
fi
echo "== JAX, same network and data (jitted step)"
measure "$here/.venv-jax/bin/python" "$here/jax_mlp.py" "$@"
jax=$best
echo "== PyTorch, same network and data"
measure "$here/.venv/bin/python" "$here/pytorch_mlp.py" "$@"
torch=$best

python3 - "$as_given" "$native" "$jax" "$torch" <<'PY'
import sys
given, native, jax, torch = map(float, sys.argv[1:])
print(f"zoo {given:.1f}k img/s (environment's OpenBLAS core), {native:.1f}k img/s (native core); "
      f"JAX {jax:.1f}k img/s; PyTorch {torch:.1f}k img/s")
print(f"zoo / JAX = {given / jax:.2f}x (environment's core), {native / jax:.2f}x (native core); "
      f"zoo / PyTorch = {given / torch:.2f}x and {native / torch:.2f}x")
PY
