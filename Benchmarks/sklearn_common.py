"""What the scikit-learn benchmark scripts share: their virtual environment and an MNIST IDX reader."""
import gzip
import os
import subprocess
import sys

VENV = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".venv-sklearn")


def ensure_venv():
    """Re-runs the calling script inside Benchmarks/.venv-sklearn (git-ignored), creating it on first use."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "numpy", "scikit-learn"], check=True)
    os.execv(python, [python] + sys.argv)


def read_idx(path):
    """The array in a gzip'd IDX file, shaped as its header says (uint8)."""
    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    dimensions = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dimensions)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)
