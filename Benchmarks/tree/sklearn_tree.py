#!/usr/bin/env python3
"""scikit-learn's DecisionTreeClassifier on the first N MNIST training images: one JSON object on stdout.

The fields match `zoo-bench tree` (model, dataset, size, seed, test_accuracy, train_accuracy, fit_seconds,
predict_seconds, predict_rows_per_second, parameters, nodes, leaves, depth), so Benchmarks/tree/run.py can compare
them. Inputs are float32 pixels / 255, as zoo's `Dataset.inputs`. Fit and predict times are the best of N runs.

    ZOO_DATA=../shared/datasets python3 Benchmarks/tree/sklearn_tree.py [--size 60000] [--repeats 3]

Creates Benchmarks/.venv-sklearn (git-ignored) with numpy and scikit-learn the first time.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from sklearn_common import ensure_venv, read_idx  # noqa: E402


def load(folder, part):
    import numpy as np
    images = read_idx(os.path.join(folder, f"{part}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(folder, f"{part}-labels-idx1-ubyte.gz"))
    return images.reshape(len(images), -1).astype(np.float32) / np.float32(255), labels.astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=60000, help="training images (the first N)")
    parser.add_argument("--repeats", type=int, default=3, help="timed fits and predictions; the best is reported")
    parser.add_argument("--max-depth", type=int, default=None, help="deepest level (default: no limit)")
    parser.add_argument("--criterion", default="gini", choices=["gini", "entropy"])
    parser.add_argument("--data", default=os.environ.get("ZOO_DATA"), help="folder holding mnist/ ($ZOO_DATA)")
    arguments = parser.parse_args()
    if not arguments.data:
        sys.exit("set ZOO_DATA or pass --data: the folder that holds mnist/")
    ensure_venv()
    import sklearn
    from sklearn.tree import DecisionTreeClassifier

    folder = os.path.join(arguments.data, "mnist")
    x_train, y_train = load(folder, "train")
    x_test, y_test = load(folder, "t10k")
    x_train, y_train = x_train[:arguments.size], y_train[:arguments.size]

    fit_seconds, fit_cpu_seconds, model = float("inf"), float("inf"), None
    for _ in range(arguments.repeats):
        model = DecisionTreeClassifier(criterion=arguments.criterion, max_depth=arguments.max_depth, random_state=0)
        start, start_cpu = time.perf_counter(), time.process_time()
        model.fit(x_train, y_train)
        fit_seconds = min(fit_seconds, time.perf_counter() - start)
        fit_cpu_seconds = min(fit_cpu_seconds, time.process_time() - start_cpu)
    predict_seconds, predicted = float("inf"), None
    for _ in range(arguments.repeats):
        start = time.perf_counter()
        predicted = model.predict(x_test)
        predict_seconds = min(predict_seconds, time.perf_counter() - start)
    tree = model.tree_
    print(json.dumps({
        "model": "tree", "implementation": f"scikit-learn {sklearn.__version__}", "dataset": "mnist",
        "size": arguments.size, "seed": 0, "criterion": arguments.criterion, "max_depth": arguments.max_depth,
        "test_accuracy": float((predicted == y_test).mean()),
        "train_accuracy": float((model.predict(x_train) == y_train).mean()),
        "fit_seconds": fit_seconds, "fit_cpu_seconds": fit_cpu_seconds, "predict_seconds": predict_seconds,
        "predict_rows_per_second": len(x_test) / predict_seconds,
        "parameters": int(tree.node_count), "nodes": int(tree.node_count), "leaves": int(tree.n_leaves),
        "depth": int(tree.max_depth), "repeats": arguments.repeats, "threads": 1,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
