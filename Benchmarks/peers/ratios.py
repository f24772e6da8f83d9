#!/usr/bin/env python3
"""Prints zoo against its peers, per model and size: test accuracy difference (zoo - peer, percentage points)
and fit-time ratio (zoo / peer; below 1 means zoo is faster), each the mean over the seeds both ran.

    ratios.py RESULTS_DIR      (reads results.json and every peers-*.json there)
"""
import glob
import json
import os
import statistics
import sys


def by_model_size(records):
    groups = {}
    for record in records:
        groups.setdefault((record["model"], record["size"]), {})[record["seed"]] = record
    return groups


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    with open(os.path.join(folder, "results.json")) as f:
        zoo = by_model_size(json.load(f)["records"])
    peer_files = sorted(glob.glob(os.path.join(folder, "peers-*.json")))
    if not peer_files:
        sys.exit(f"no peers-*.json in {folder}: run Benchmarks/peers/run.sh {folder} first")
    header = f"{'model':<11} {'size':>6}  {'peer':<13} {'zoo acc %':>9} {'peer acc %':>10} {'diff pp':>8}" \
             f"  {'zoo fit s':>9} {'peer fit s':>10} {'zoo/peer':>8}"
    print(header)
    print("-" * len(header))
    for path in peer_files:
        with open(path) as f:
            peer = json.load(f)
        for (model, size), peer_runs in sorted(by_model_size(peer["records"]).items(),
                                               key=lambda item: (item[0][0], item[0][1])):
            zoo_runs = zoo.get((model, size), {})
            seeds = sorted(set(zoo_runs) & set(peer_runs))
            if not seeds:
                continue
            mean = lambda runs, key: statistics.mean(runs[s][key] for s in seeds)
            zoo_acc, peer_acc = mean(zoo_runs, "test_accuracy") * 100, mean(peer_runs, "test_accuracy") * 100
            zoo_fit, peer_fit = mean(zoo_runs, "fit_seconds"), mean(peer_runs, "fit_seconds")
            print(f"{model:<11} {size:>6}  {peer['framework']:<13} {zoo_acc:>9.2f} {peer_acc:>10.2f}"
                  f" {zoo_acc - peer_acc:>+8.2f}  {zoo_fit:>9.3f} {peer_fit:>10.3f} {zoo_fit / peer_fit:>8.2f}")


if __name__ == "__main__":
    main()
