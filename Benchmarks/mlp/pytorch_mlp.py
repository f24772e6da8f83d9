"""PyTorch baseline for `zoo-bench mlp`: the same MLP (784-256-10, ReLU, Adam lr 1e-3, batch 128, softmax
cross-entropy) on the same first N MNIST training images, inputs standardised once, shuffled batches gathered
per step. Prints img/s per epoch and the best steady-state epoch (the first is a warm-up), on `--threads` threads.

Usage: pytorch_mlp.py [--data-dir DIR] [--size 60000] [--epochs 4] [--threads 2]
DIR holds train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (default: $ZOO_DATA/mnist).
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=os.path.join(os.environ.get("ZOO_DATA", "Data"), "mnist"))
    parser.add_argument("--size", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images = read_idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"))[:args.size]
    labels = read_idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"))[:args.size]
    x = torch.tensor(images.reshape(len(images), -1), dtype=torch.float32) / 255
    x = (x - x.mean()) / x.std()
    y = torch.tensor(labels, dtype=torch.long)

    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = torch.nn.CrossEntropyLoss()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    rates = []
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(len(y))
        start = time.perf_counter()
        total = 0.0
        for first in range(0, len(y), args.batch_size):
            index = order[first:first + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        rate = len(y) / (time.perf_counter() - start)
        rates.append(rate)
        print(f"epoch {epoch}: {rate / 1000:.1f}k img/s, loss {total / len(y):.4f}")
    print(f"best steady-state epoch: {max(rates[1:]) / 1000:.1f}k img/s")


if __name__ == "__main__":
    main()
