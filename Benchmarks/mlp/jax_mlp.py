"""JAX baseline for `zoo-bench mlp`: the same MLP (784-256-10, ReLU, Adam lr 1e-3 with PyTorch's betas and
epsilon, batch 128, softmax cross-entropy, PyTorch-style uniform initialisation) on the same first N MNIST
training images, inputs standardised once, shuffled batches gathered per step. The whole training step (forward,
gradient, Adam update) is one jitted XLA function; the batch gather stays outside it, as in the other two.
Prints img/s per epoch and the best steady-state epoch (the first, which includes compilation, is a warm-up).
XLA's CPU backend uses its own thread pool over all cores (set --threads to pin it with
XLA_FLAGS / taskset from outside if needed).

Usage: jax_mlp.py [--data-dir DIR] [--size 60000] [--epochs 4] [--batch-size 128]
DIR holds train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (default: $ZOO_DATA/mnist).
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import jax
import jax.numpy as jnp


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def initial_parameters(key, sizes):
    """PyTorch's Linear default: weights and biases uniform in ±1/sqrt(fan_in)."""
    parameters = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        key, kw, kb = jax.random.split(key, 3)
        bound = 1 / np.sqrt(fan_in)
        parameters.append((jax.random.uniform(kw, (fan_in, fan_out), jnp.float32, -bound, bound),
                           jax.random.uniform(kb, (fan_out,), jnp.float32, -bound, bound)))
    return parameters


def loss_function(parameters, x, y):
    (w1, b1), (w2, b2) = parameters
    logits = jax.nn.relu(x @ w1 + b1) @ w2 + b2
    return jnp.mean(jax.nn.logsumexp(logits, axis=1) - jnp.take_along_axis(logits, y[:, None], axis=1)[:, 0])


@jax.jit
def train_step(parameters, first, second, step, x, y):
    """One Adam step (Kingma & Ba, PyTorch's defaults): returns new parameters, moments and the loss."""
    loss, gradients = jax.value_and_grad(loss_function)(parameters, x, y)
    beta1, beta2, rate, epsilon = 0.9, 0.999, 1e-3, 1e-8
    first = jax.tree_util.tree_map(lambda m, g: beta1 * m + (1 - beta1) * g, first, gradients)
    second = jax.tree_util.tree_map(lambda v, g: beta2 * v + (1 - beta2) * g * g, second, gradients)
    correction1, correction2 = 1 - beta1 ** step, 1 - beta2 ** step
    parameters = jax.tree_util.tree_map(
        lambda w, m, v: w - rate * (m / correction1) / (jnp.sqrt(v / correction2) + epsilon),
        parameters, first, second)
    return parameters, first, second, loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=os.path.join(os.environ.get("ZOO_DATA", "Data"), "mnist"))
    parser.add_argument("--size", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2, help="accepted for symmetry with pytorch_mlp.py")
    args = parser.parse_args()

    images = read_idx(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"))[:args.size]
    labels = read_idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"))[:args.size]
    x = images.reshape(len(images), -1).astype(np.float32) / 255
    x = (x - x.mean()) / x.std()
    y = labels.astype(np.int32)

    parameters = initial_parameters(jax.random.PRNGKey(0), [784, 256, 10])
    first = jax.tree_util.tree_map(jnp.zeros_like, parameters)
    second = jax.tree_util.tree_map(jnp.zeros_like, parameters)
    generator = np.random.default_rng(0)
    print(f"jax {jax.__version__}, devices {jax.devices()}")
    rates, step = [], 0
    for epoch in range(1, args.epochs + 1):
        order = generator.permutation(len(y))
        start, cpu_start = time.perf_counter(), time.process_time()
        total = 0.0
        for begin in range(0, len(y), args.batch_size):
            index = order[begin:begin + args.batch_size]
            step += 1
            parameters, first, second, loss = train_step(parameters, first, second, step, x[index], y[index])
            total += float(loss) * len(index)
        rate = len(y) / (time.perf_counter() - start)
        steps = (len(y) + args.batch_size - 1) // args.batch_size
        cpu_per_step = (time.process_time() - cpu_start) / steps
        rates.append(rate)
        print(f"epoch {epoch}: {rate / 1000:.1f}k img/s, {cpu_per_step * 1e3:.3f} ms CPU per step (all threads), "
              f"loss {total / len(y):.4f}")
    print(f"best steady-state epoch: {max(rates[1:]) / 1000:.1f}k img/s")


if __name__ == "__main__":
    main()
