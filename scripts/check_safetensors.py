"""Checks that zoo model files are readable by Hugging Face's `safetensors` (and so by PyTorch).

Usage:
    python3 -m venv scripts/.venv-safetensors
    scripts/.venv-safetensors/bin/pip install safetensors numpy
    scripts/.venv-safetensors/bin/python scripts/check_safetensors.py Zoo/*.safetensors

For each file: prints the metadata and every tensor's dtype and shape, checks that floats are finite
(weights; infinities are allowed only with --allow-nonfinite), and exits 1 if any file fails to load.
Not a CI test: it needs Python and a venv.
"""
import json
import sys

import numpy as np
from safetensors import safe_open


def check(path: str, allow_nonfinite: bool) -> bool:
    try:
        with safe_open(path, framework="numpy") as f:
            metadata = f.metadata() or {}
            print(f"{path}:")
            for key in sorted(metadata):
                print(f"  metadata {key} = {metadata[key]!r}")
            if "hyperparameters" in metadata:
                json.loads(metadata["hyperparameters"])  # must be valid JSON
            ok = True
            for name in sorted(f.keys()):
                array = f.get_tensor(name)
                finite = bool(np.isfinite(array).all()) if array.dtype.kind == "f" else True
                print(f"  tensor {name}: {array.dtype} {list(array.shape)}"
                      f" first {array.ravel()[:4].tolist()}{'' if finite else ' (non-finite values)'}")
                ok = ok and (finite or allow_nonfinite)
            return ok
    except Exception as error:  # report every failure, keep checking the other files
        print(f"{path}: FAILED: {error}")
        return False


def main() -> int:
    allow_nonfinite = "--allow-nonfinite" in sys.argv
    paths = [arg for arg in sys.argv[1:] if arg != "--allow-nonfinite"]
    if not paths:
        print(__doc__)
        return 2
    results = [check(path, allow_nonfinite) for path in paths]
    print(f"{sum(results)}/{len(results)} files OK")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
