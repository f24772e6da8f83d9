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
    core=$(printf '%s\n' "$output" | sed -n 's/^OpenBLAS core \([A-Za-z0-9]*\).*/\1/p' | head -1)
}

echo "== zoo, environment as given"
measure "$bench" mlp "$@"
core_given=$core
echo "== zoo, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"
measure env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$bench" mlp "$@"
core_native=$core

if [[ -z "${ZOO_SKIP_TORCH:-}" && ! -x "$here/.venv/bin/python" ]]; then
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
if [[ -z "${ZOO_SKIP_TORCH:-}" ]]; then
    echo "== PyTorch, same network and data"
    measure "$here/.venv/bin/python" "$here/pytorch_mlp.py" "$@"
fi

# End to end, as users get it: `zoo train --model mlp --size N` (10 epochs, the family's defaults), the images it
# trained on (N less the 10% calibration share) × 10 over the fit seconds it reports, against JAX's best steady-state epoch. Rounds interleave zoo (environment's core),
# zoo (both OpenBLAS variables unset) and JAX, so the machine's load falls on all three alike; each run's CPU time
# (all threads, from getrusage of the child) per image and the load average are recorded. ZOO_ROUNDS sets the rounds (3).
# The OpenBLAS cores are those `zoo-bench mlp` reported above under the same two environments.
swift build -c release --product zoo >&2
python3 - "$here" "${ZOO_ROUNDS:-3}" "$core_given" "$core_native" "$@" <<'PY'
import os, re, resource, subprocess, sys
here, rounds, core_given, core_native, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
size = extra[extra.index("--size") + 1] if "--size" in extra else "60000"
native_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}

def run(command, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return output, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

def zoo(env, binary=".build/release/zoo"):
    """img/s of `zoo train` end to end and the process's CPU seconds per image (data loading included). The images
    are those the fit trained on, 10 epochs of the "trained on N" samples: `zoo train` holds 10% of the sample out
    for the calibration, so a 60k sample fits 54,000 images an epoch."""
    output, cpu = run([binary, "train", "--model", "mlp", "--size", size, "--quiet"], env)
    seconds = float(re.search(r"fit time\s+([0-9.]+) s", output).group(1))
    images = int(re.search(r"trained on (\d+) ", output).group(1)) * 10
    return images / seconds, cpu / images

def jax():
    """img/s of JAX's best steady-state epoch and that epoch's CPU seconds per image (all threads)."""
    output, _ = run([f"{here}/.venv-jax/bin/python", f"{here}/jax_mlp.py", "--size", size, "--epochs", "4"])
    epochs = re.findall(r"epoch (\d+): ([0-9.]+)k img/s, ([0-9.]+) ms CPU", output)
    best = max(epochs[1:], key=lambda e: float(e[1]))
    return float(best[1]) * 1000, float(best[2]) / 1000 / 128

# ZOO_BASELINE names another build's zoo binary (say main's) to run natively in the same rounds, for a before/after.
baseline = os.environ.get("ZOO_BASELINE")
runs = [("given", "zoo train, as given core", lambda: zoo(None)),
        ("native", "zoo train, native core", lambda: zoo(native_env))]
if baseline:
    runs.append(("baseline", "baseline zoo, native core", lambda: zoo(native_env, baseline)))
runs.append(("jax", "JAX", jax))
results = {name: [] for name, _, _ in runs}
for number in range(1, rounds + 1):
    for name, label, measure in runs:
        load = os.getloadavg()[0]
        rate, cpu = measure()
        results[name].append((rate, cpu, load))
        print(f"round {number} (load {load:.1f}): {label:26s} {rate / 1000:6.1f}k img/s, "
              f"{cpu * 1e6:.1f} µs CPU per image", flush=True)
best = {name: max(r[0] for r in runs) for name, runs in results.items()}
loads = [r[2] for runs in results.values() for r in runs]
print(f"SUMMARY zoo train end to end {best['native'] / 1000:.1f}k img/s (OpenBLAS variables unset, core {core_native}), "
      f"{best['given'] / 1000:.1f}k img/s (as given, core {core_given}); "
      f"JAX steady-state {best['jax'] / 1000:.1f}k img/s; zoo/JAX {best['native'] / best['jax']:.2f}x native, "
      f"{best['given'] / best['jax']:.2f}x as given; "
      + (f"baseline {best['baseline'] / 1000:.1f}k img/s native; " if baseline else "")
      + f"best of {rounds} interleaved rounds, load average {min(loads):.1f}-{max(loads):.1f}")
PY
