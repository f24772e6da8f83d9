#!/usr/bin/env bash
# Runs scikit-learn and PyTorch on the samples of a `zoo compare` run and prints zoo/peer ratios.
#
#   zoo compare --out results ...            (writes results/results.json and results/samples.json)
#   Benchmarks/peers/run.sh results [--data-dir DIR] [--models tree,mlp] [--frameworks scikit-learn,pytorch]
#
# Makes its own virtual environment in Benchmarks/peers/.venv (git-ignored) on first use.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
results="${1:?usage: run.sh RESULTS_DIR [--data-dir DIR] [--models LIST] [--frameworks LIST]}"
shift
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv (scikit-learn, torch==2.13.0 CPU)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet numpy scikit-learn torch==2.13.0
fi
"$venv/bin/python" "$here/peers.py" "$results" "$@"
"$venv/bin/python" "$here/ratios.py" "$results"
