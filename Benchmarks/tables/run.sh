#!/usr/bin/env bash
# zoo and scikit-learn on scikit-learn's bundled tables (iris, wine, breast_cancer): accuracy and fit time.
#
#   Benchmarks/tables/run.sh [--tables iris,wine] [--models tree,logistic]
#
# Builds zoo in release mode and makes its own virtual environment in Benchmarks/.venv-tables (git-ignored:
# numpy and scikit-learn) on first use. The tables are written to Benchmarks/tables/.results (git-ignored).
# Keeps the environment's OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (these tables are too small for BLAS to matter).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/Benchmarks/.venv-tables"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv (numpy, scikit-learn)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy scikit-learn
fi
cd "$root"
swift build -c release --product zoo >&2
"$venv/bin/python" "$here/tables.py" --zoo "$root/.build/release/zoo" --out "$here/.results" "$@"
