#!/usr/bin/env python3
"""Peers of `zoo compare`: scikit-learn and PyTorch fit the same families on exactly the same samples.

Reads <results>/samples.json (the training-index lists zoo compare wrote, by size and seed: each peer fits a
sample's "fitted" indices, the part zoo's families fitted once their calibration share was held out) and the same IDX
files (or, for `zoo compare --data`, the prepared-train.csv and prepared-test.csv it wrote: scikit-learn only), fits each peer model on each sample, evaluates on the full test set, and writes
<results>/peers-scikit-learn.json and <results>/peers-pytorch.json in zoo's results.json schema
(Benchmarks/compare/SCHEMA.md), with "framework" naming the peer.

Hyperparameters follow zoo's defaults where the families have them (MLP 784-256-10 ReLU, Adam lr 0.001 annealed
to zero per batch by a cosine, batch 128, 10 epochs; logistic regression trained to convergence by scikit-learn's
lbfgs, which the zoo targets; Inception: the identical layers, Adam lr 0.01 with the same cosine, batch 64,
6 epochs, the network of Benchmarks/inception/pytorch_inception.py, He-initialised like zoo's). Known
difference: zoo's MLP standardises its inputs (per-pixel mean and deviation) before the first layer; the peers'
MLPs see pixels in 0...1.

Run through run.sh, which makes the virtual environment.
"""
import argparse
import datetime
import gzip
import json
import os
import platform
import resource
import struct
import subprocess
import sys
import time
import warnings

import numpy as np

SCHEMA = "zoo-compare/1"
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
SKLEARN_MODELS = ["tree", "linear", "logistic", "perceptron", "mlp"]
TORCH_MODELS = ["mlp", "inception"]


def read_idx(path):
    """An IDX file (gzip'd or raw) as a numpy array of its stored shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find_dataset(name, data_dir):
    """The folder holding dataset `name`'s four files, searched in zoo's order."""
    candidates = []
    if data_dir:
        candidates += [data_dir, os.path.join(data_dir, name)]
    if os.environ.get("ZOO_DATA"):
        candidates.append(os.path.join(os.environ["ZOO_DATA"], name))
    candidates += [os.path.join("Data", name), os.path.join("/usr/share/datasets", name)]
    for folder in candidates:
        if all(os.path.exists(os.path.join(folder, f)) or os.path.exists(os.path.join(folder, f + ".gz"))
               for f in FILES.values()):
            return folder
    sys.exit(f"dataset {name} not found in {', '.join(candidates)}: pass --data-dir")


def load(folder):
    def path(key):
        raw = os.path.join(folder, FILES[key])
        return raw if os.path.exists(raw) else raw + ".gz"
    train_x = read_idx(path("train_images")).reshape(-1, 28 * 28)
    test_x = read_idx(path("test_images")).reshape(-1, 28 * 28)
    return (train_x, read_idx(path("train_labels")).astype(np.int64),
            test_x, read_idx(path("test_labels")).astype(np.int64))


def load_prepared(results):
    """The training and test parts `zoo compare --data ... --with-peers` wrote (a CSV table's standardised rows or
    an image folder's bytes, class index last), and whether they are a table; None for a registered dataset."""
    paths = [os.path.join(results, f"prepared-{part}.csv") for part in ("train", "test")]
    if not all(os.path.exists(p) for p in paths):
        return None
    with open(paths[0]) as f:
        is_table = f.readline().split()[1] == "table"
    parts = []
    for path in paths:
        values = np.loadtxt(path, delimiter=",", comments="#", ndmin=2)
        x = values[:, :-1].astype(np.float32 if is_table else np.uint8)
        parts += [x, values[:, -1].astype(np.int64)]
    return (*parts, is_table)


def reset_peak_memory():
    """Start a new peak resident size (Linux: clear_refs 5), as zoo does per model."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_memory_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---- scikit-learn -------------------------------------------------------------------------------------------

class LeastSquares:
    """Least squares on one-hot targets, prediction = argmax: zoo's `linear` family."""

    def __init__(self, seed):
        from sklearn.linear_model import LinearRegression
        self.model = LinearRegression()

    def fit(self, x, y):
        self.model.fit(x, np.eye(int(y.max()) + 1, dtype=np.float32)[y])  # classes from the data, as zoo
        return self

    def predict(self, x):
        return self.model.predict(x).argmax(axis=1)

    def parameters(self):
        return self.model.coef_.size + self.model.intercept_.size


def sklearn_model(name, seed):
    from sklearn.linear_model import LogisticRegression, Perceptron
    from sklearn.neural_network import MLPClassifier
    from sklearn.tree import DecisionTreeClassifier
    if name == "tree":
        return DecisionTreeClassifier(random_state=seed)
    if name == "linear":
        return LeastSquares(seed)
    if name == "logistic":
        return LogisticRegression(max_iter=1000, random_state=seed)
    if name == "perceptron":
        return Perceptron(random_state=seed)
    if name == "mlp":
        return MLPClassifier(hidden_layer_sizes=(256,), activation="relu", solver="adam", batch_size=128,
                             learning_rate_init=0.001, max_iter=10, random_state=seed)
    raise ValueError(name)


def sklearn_parameters(name, model):
    if name == "tree":
        return int(model.tree_.node_count)
    if name == "linear":
        return int(model.parameters())
    if name == "mlp":
        return int(sum(w.size for w in model.coefs_) + sum(b.size for b in model.intercepts_))
    return int(model.coef_.size + model.intercept_.size)


def run_sklearn(name, seed, train_x, train_y, test_x, test_y):
    model = sklearn_model(name, seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: the epoch budget is the point
        model.fit(train_x, train_y)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    test_predictions = model.predict(test_x)
    predict_seconds = time.perf_counter() - start
    train_predictions = model.predict(train_x)
    return dict(test_accuracy=float((test_predictions == test_y).mean()),
                train_accuracy=float((train_predictions == train_y).mean()),
                final_loss=0.0, fit_seconds=fit_seconds, predict_seconds=predict_seconds,
                parameters=sklearn_parameters(name, model))


# ---- PyTorch ------------------------------------------------------------------------------------------------

def torch_network(name):
    import torch.nn as nn

    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)), 10, 0.001, 128
    if name == "inception":
        # The one PyTorch twin of zoo's network, shared with the side-by-side benchmark.
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "inception"))
        from pytorch_inception import inception_net
        return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), inception_net()), 6, 0.01, 64
    raise ValueError(name)


def run_torch(name, seed, train_x, train_y, test_x, test_y):
    import torch
    torch.manual_seed(seed)
    network, epochs, learning_rate, batch_size = torch_network(name)
    optimizer = torch.optim.Adam(network.parameters(), lr=learning_rate)
    batches = (len(train_y) + batch_size - 1) // batch_size
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * batches)  # zoo's cosine
    loss_function = torch.nn.CrossEntropyLoss()
    x = torch.from_numpy(train_x.astype(np.float32) / 255)
    y = torch.from_numpy(train_y)
    generator = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    network.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for begin in range(0, len(x), batch_size):
            batch = order[begin:begin + batch_size]
            optimizer.zero_grad()
            loss = loss_function(network(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            schedule.step()
    fit_seconds = time.perf_counter() - start
    network.eval()

    def predict(inputs):
        with torch.no_grad():
            tensor = torch.from_numpy(inputs.astype(np.float32) / 255)
            return torch.cat([network(tensor[i:i + 1024]) for i in range(0, len(tensor), 1024)])

    start = time.perf_counter()
    test_predictions = predict(test_x).argmax(dim=1).numpy()
    predict_seconds = time.perf_counter() - start
    train_outputs = predict(train_x)
    return dict(test_accuracy=float((test_predictions == test_y).mean()),
                train_accuracy=float((train_outputs.argmax(dim=1).numpy() == train_y).mean()),
                final_loss=float(loss_function(train_outputs, y)), fit_seconds=fit_seconds,
                predict_seconds=predict_seconds,
                parameters=int(sum(p.numel() for p in network.parameters())))


# ---- driver -------------------------------------------------------------------------------------------------

def machine(framework):
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    info = dict(cpu=cpu, cores=os.cpu_count(), openblas_core=None, swift_version=None,
                git_commit=commit or "unknown",
                date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                python_version=platform.python_version())
    if framework == "scikit-learn":
        import sklearn
        info["scikit_learn_version"] = sklearn.__version__
    else:
        import torch
        info["torch_version"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", help="folder of a zoo compare run (holds samples.json and results.json)")
    parser.add_argument("--data-dir", help="folder holding the dataset (as zoo's --data-dir)")
    parser.add_argument("--models", help="comma-separated families (default: those in results.json)")
    parser.add_argument("--frameworks", default="scikit-learn,pytorch", help="comma-separated peers to run")
    args = parser.parse_args()

    with open(os.path.join(args.results, "samples.json")) as f:
        samples = json.load(f)
    with open(os.path.join(args.results, "results.json")) as f:
        zoo = json.load(f)
    dataset = samples["dataset"]
    models = args.models.split(",") if args.models else list(dict.fromkeys(r["model"] for r in zoo["records"]))
    prepared = load_prepared(args.results)
    is_table = False
    if prepared:
        # The user's own data: the rows zoo fitted. PyTorch's networks here are MNIST's, so scikit-learn only.
        train_x, train_y, test_x, test_y, is_table = prepared
        args.frameworks = "scikit-learn"
    else:
        train_x, train_y, test_x, test_y = load(find_dataset(dataset, args.data_dir))

    for framework in args.frameworks.split(","):
        if framework == "scikit-learn":
            runner, known = run_sklearn, SKLEARN_MODELS
        elif framework == "pytorch":
            import torch
            torch.set_num_threads(os.cpu_count())
            runner, known = run_torch, TORCH_MODELS
        else:
            sys.exit(f"unknown framework {framework}: use scikit-learn or pytorch")
        chosen = [m for m in models if m in known]
        if not chosen:
            continue
        records = []
        jobs = [(s, m) for s in samples["samples"] for m in chosen]
        for number, (sample, name) in enumerate(jobs, 1):
            # The part zoo's families fitted (files written before "fitted" existed: the whole sample).
            indices = np.asarray(sample.get("fitted", sample["indices"]), dtype=np.int64)
            print(f"[{number}/{len(jobs)}] {framework} {name} on {sample['size']} samples, seed {sample['seed']}",
                  file=sys.stderr, flush=True)
            reset_peak_memory()
            # Trees split raw bytes (as zoo's tree does); the other families see pixels scaled to 0...1.
            # A table's rows are already standardised, as zoo's families saw them.
            scale = 1.0 if is_table or name == "tree" or framework == "pytorch" else 1 / 255
            fit_x = train_x[indices] if scale == 1.0 else train_x[indices].astype(np.float32) * scale
            eval_x = test_x if scale == 1.0 else test_x.astype(np.float32) * scale
            measured = runner(name, sample["seed"], fit_x, train_y[indices], eval_x, test_y)
            record = dict(model=name, dataset=dataset, size=int(sample["size"]), stratified=True,
                          seed=int(sample["seed"]), **measured)
            record["model_bytes"] = record["parameters"] * 4
            record["peak_memory_bytes"] = peak_memory_bytes()
            print(f"    test accuracy {record['test_accuracy'] * 100:.2f}%, fit {record['fit_seconds']:.2f} s",
                  file=sys.stderr, flush=True)
            records.append(record)
        out = dict(schema=SCHEMA, framework=framework, dataset=dataset, test_size=int(len(test_y)),
                   machine=machine(framework), records=records)
        path = os.path.join(args.results, f"peers-{framework}.json")
        temporary = path + ".tmp"
        with open(temporary, "w") as f:
            json.dump(out, f, indent=2, sort_keys=True)
        os.replace(temporary, path)
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
