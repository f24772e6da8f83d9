#!/usr/bin/env python3
"""Least squares and the perceptron: zoo vs scikit-learn on MNIST, fit time (best of N) and test accuracy.

Runs `zoo-bench linear --json` (build it first: swift build -c release --product zoo-bench) and scikit-learn's
counterparts on the same first-N training images in this process, then prints both and the time ratios:
  least squares        vs RidgeClassifier(alpha=1.0, solver="cholesky")  (regresses ±1 codes: same argmax as one-hot)
  perceptron           vs Perceptron(random_state=0)  (defaults: max_iter 1000, tol 1e-3, early stop, eta0 1)
  averaged perceptron  vs SGDClassifier(loss="perceptron", learning_rate="constant", eta0=1, penalty=None,
                          average=True, random_state=0)
Timings are wall-clock on a shared machine: run it when nothing else is compiling, and read the ratios.

    ZOO_DATA=../shared/datasets python3 Benchmarks/linear_vs_sklearn.py [--sizes 10000,60000] [--repeats 3]

Creates Benchmarks/.venv-sklearn (git-ignored) with numpy and scikit-learn the first time.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sklearn_common import ensure_venv, read_idx  # noqa: E402


def best_fit_seconds(make, x, y, repeats):
    best, model = float("inf"), None
    for _ in range(repeats):
        model = make()
        start = time.perf_counter()
        model.fit(x, y)
        best = min(best, time.perf_counter() - start)
    return best, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,60000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--zoo-bench", default=os.path.join(HERE, "..", ".build", "release", "zoo-bench"))
    arguments = parser.parse_args()
    ensure_venv()

    import numpy as np
    import sklearn
    from sklearn.linear_model import Perceptron, RidgeClassifier, SGDClassifier

    root = os.environ.get("ZOO_DATA")
    if not root:
        sys.exit("set ZOO_DATA to the folder holding mnist/")
    folder = os.path.join(root, "mnist")
    train_x = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    train_y = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz"))
    test_x = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    test_y = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz"))

    zoo = subprocess.run([arguments.zoo_bench, "linear", "--json", "--sizes", arguments.sizes,
                          "--repeats", str(arguments.repeats), "--data-dir", root],
                         check=True, capture_output=True, text=True)
    zoo_results = {(r["model"], r["size"]): r for r in map(json.loads, zoo.stdout.splitlines())}
    core = next(iter(zoo_results.values()))["openblas_core"]

    peers = {
        "least squares": ("RidgeClassifier", lambda: RidgeClassifier(alpha=1.0, solver="cholesky")),
        "perceptron": ("Perceptron", lambda: Perceptron(random_state=0)),
        "averaged perceptron": ("SGDClassifier avg", lambda: SGDClassifier(
            loss="perceptron", learning_rate="constant", eta0=1, penalty=None, average=True, random_state=0)),
    }
    print(f"zoo: OpenBLAS core {core}; scikit-learn {sklearn.__version__}, numpy {np.__version__}; "
          f"{os.cpu_count()} cores; best of {arguments.repeats}")
    print(f"{'model':22}{'size':>7}  {'zoo s':>7} {'zoo acc':>8}   {'peer':18}{'peer s':>7} {'peer acc':>9}  "
          f"{'peer/zoo time':>13}")
    for size in map(int, arguments.sizes.split(",")):
        x, y = train_x[:size], train_y[:size]
        for name, (peer_name, make) in peers.items():
            seconds, model = best_fit_seconds(make, x, y, arguments.repeats)
            peer_accuracy = float((model.predict(test_x) == test_y).mean())
            ours = zoo_results[(name, size)]
            print(f"{name:22}{size:7d}  {ours['fit_seconds']:7.3f} {ours['test_accuracy']:8.4f}   {peer_name:18}"
                  f"{seconds:7.3f} {peer_accuracy:9.4f}  {seconds / ours['fit_seconds']:12.2f}x")


if __name__ == "__main__":
    main()
