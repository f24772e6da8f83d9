#!/usr/bin/env python3
"""The decision tree, zoo vs scikit-learn, in one run: fit-time ratio, accuracy difference, prediction rows/s.

Builds nothing: run `swift build -c release --product zoo-bench` first. Runs `zoo-bench tree` (best of N fits and
predictions in one process) and Benchmarks/tree/sklearn_tree.py (best of N, in its own venv) on the same first-N
MNIST training images and the full test set, prints both JSON records and a comparison. Timings are wall-clock:
on a machine shared with other jobs read them as upper bounds, and compare zoo's fit_cpu_seconds.

    ZOO_DATA=../shared/datasets python3 Benchmarks/tree/run.py [--size 60000] [--repeats 3] [--max-depth N]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=60000, help="training images (the first N)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per side; the best is reported")
    parser.add_argument("--max-depth", type=int, default=None, help="deepest level (default: no limit)")
    parser.add_argument("--criterion", default="gini", choices=["gini", "entropy"])
    parser.add_argument("--zoo-bench", default=os.path.join(ROOT, ".build", "release", "zoo-bench"),
                        help="the zoo-bench binary")
    arguments = parser.parse_args()
    data = os.environ.get("ZOO_DATA")
    if not data:
        sys.exit("set ZOO_DATA to the folder that holds mnist/")
    common = ["--size", str(arguments.size), "--repeats", str(arguments.repeats), "--criterion", arguments.criterion]
    if arguments.max_depth is not None:
        common += ["--max-depth", str(arguments.max_depth)]

    zoo_run = subprocess.run([arguments.zoo_bench, "tree", "--data-dir", data] + common,
                             check=True, capture_output=True, text=True)
    zoo = json.loads(zoo_run.stdout.strip().splitlines()[-1])
    sklearn_run = subprocess.run([sys.executable, os.path.join(HERE, "sklearn_tree.py"), "--data", data] + common,
                                 check=True, capture_output=True, text=True)
    sklearn = json.loads(sklearn_run.stdout.strip().splitlines()[-1])

    print(json.dumps(zoo, sort_keys=True))
    print(json.dumps(sklearn, sort_keys=True))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'':24}{'zoo':>14}{'scikit-learn':>16}")
    for key, form in [("test_accuracy", "{:.2%}"), ("train_accuracy", "{:.2%}"), ("fit_seconds", "{:.3f} s"),
                      ("predict_seconds", "{:.4f} s"), ("predict_rows_per_second", "{:,.0f}"), ("nodes", "{}"),
                      ("leaves", "{}"), ("depth", "{}")]:
        print(f"{key:24}{form.format(zoo[key]):>14}{form.format(sklearn[key]):>16}")
    sklearn_cpu = sklearn.get("fit_cpu_seconds", float("nan"))
    print(f"{'fit_cpu_seconds':24}{zoo['fit_cpu_seconds']:>12.3f} s{sklearn_cpu:>14.3f} s")
    print(f"fit time ratio (scikit-learn / zoo), wall clock: {sklearn['fit_seconds'] / zoo['fit_seconds']:.1f}x "
          f"(target ≥ 10x); CPU time: {sklearn_cpu / zoo['fit_cpu_seconds']:.1f}x "
          f"(zoo uses {zoo['threads']} cores, scikit-learn 1)")
    print(f"test accuracy difference (zoo − scikit-learn): "
          f"{100 * (zoo['test_accuracy'] - sklearn['test_accuracy']):+.2f} points")
    print(f"prediction: zoo {zoo['predict_rows_per_second']:,.0f} rows/s (target ≥ 1,000,000), "
          f"scikit-learn {sklearn['predict_rows_per_second']:,.0f} rows/s")


if __name__ == "__main__":
    main()
