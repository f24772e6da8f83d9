"""The zoo's small Inception network (Sources/ZooInception) rebuilt in PyTorch, measured like `zoo-bench inception`.

Same layers, sizes, padding, He-normal initialisation (zero biases), batch norm settings and optimizer (Adam,
lr --learning-rate annealed to zero per batch by a cosine, batch 64), 2 threads, CPU. PyTorch's layout is NCHW
(its default); zoo's is NHWC.
Prints one JSON object with the same fields as `zoo-bench inception`:
training images per second (best of --repeats runs of one epoch over --images images), best-of-200 inference
milliseconds for one digit, and, with --train-size N, the test accuracy after --epochs epochs on the first N.
"""
import argparse
import gzip
import json
import os
import struct
import time
import warnings

warnings.filterwarnings("ignore", message="Failed to initialize NumPy")  # numpy is not needed here
import torch  # noqa: E402
from torch import nn  # noqa: E402


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data), dtype=torch.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist(root, part):
    prefix = "train" if part == "train" else "t10k"
    images = read_idx(os.path.join(root, "mnist", f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(root, "mnist", f"{prefix}-labels-idx1-ubyte.gz"))
    return images.reshape(-1, 1, 28, 28).float() / 255, labels.long()


def unit(inputs, outputs, kernel):
    """Conv (no bias, 'same' padding) + BatchNorm + ReLU: every convolution of the zoo's network."""
    return nn.Sequential(nn.Conv2d(inputs, outputs, kernel, padding=kernel // 2, bias=False),
                         nn.BatchNorm2d(outputs), nn.ReLU())


class InceptionBlock(nn.Module):
    """Szegedy et al. 2014, figure 2(b), with batch norm: four branches concatenated along channels."""

    def __init__(self, inputs, b1x1, b3x3_reduce, b3x3, b5x5_reduce, b5x5, pool_projection):
        super().__init__()
        self.branches = nn.ModuleList([
            unit(inputs, b1x1, 1),
            nn.Sequential(unit(inputs, b3x3_reduce, 1), unit(b3x3_reduce, b3x3, 3)),
            nn.Sequential(unit(inputs, b5x5_reduce, 1), unit(b5x5_reduce, b5x5, 5)),
            nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), unit(inputs, pool_projection, 1)),
        ])

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)


def he_initialised(model):
    """zoo's initialisation: normal weights with standard deviation sqrt(2 / fan-in), zero biases."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model


def inception_net():
    return he_initialised(nn.Sequential(
        unit(1, 32, 3), nn.MaxPool2d(2),
        InceptionBlock(32, 16, 16, 24, 8, 12, 12), nn.MaxPool2d(2),
        InceptionBlock(64, 32, 32, 48, 8, 24, 24),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10)))


def train(model, images, labels, epochs, batch_size, seed, learning_rate):
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    batches = (len(labels) + batch_size - 1) // batch_size
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * batches)  # stepped per batch
    loss_function = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    model.train()
    rates = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(labels), generator=generator)
        for first in range(0, len(labels), batch_size):
            rows = order[first:first + batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(images[rows]), labels[rows])
            loss.backward()
            optimizer.step()
            schedule.step()
        rates.append(len(labels) / (time.perf_counter() - start))
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=os.environ.get("ZOO_DATA", ""), help="folder holding mnist/")
    parser.add_argument("--images", type=int, default=2560, help="images per timed training run")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the fastest is reported")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--train-size", type=int, default=0, help="also train on the first N and test (0: skip)")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--learning-rate", type=float, default=0.01, help="Adam's, before the cosine (zoo's default)")
    parser.add_argument("--threads", type=int, default=2)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(0)

    images, labels = load_mnist(arguments.data_dir, "train")
    subset = images[:arguments.images], labels[:arguments.images]
    best, cpu_ms = 0.0, float("inf")
    for run in range(arguments.repeats):
        cpu_start = time.process_time()
        rate = train(inception_net(), *subset, 1, arguments.batch_size, run, arguments.learning_rate)[0]
        cpu_ms = min(cpu_ms, (time.process_time() - cpu_start) * 1000 / arguments.images)
        print(f"run {run + 1}/{arguments.repeats}: {rate:.0f} img/s", file=os.sys.stderr)
        best = max(best, rate)

    model = inception_net().eval()
    digit = torch.full((1, 1, 28, 28), 0.5)
    with torch.no_grad():
        model(digit)
        times = []
        for _ in range(200):
            start = time.perf_counter()
            torch.softmax(model(digit), dim=1)
            times.append((time.perf_counter() - start) * 1000)

    result = {"framework": "pytorch", "threads": torch.get_num_threads(), "torch": torch.__version__,
              "batch_size": arguments.batch_size,
              "parameters": sum(p.numel() for p in model.parameters()),
              "train_images_per_second": round(best, 1), "train_cpu_ms_per_image": round(cpu_ms, 3),
              "inference_ms_per_digit": round(min(times), 3)}
    if arguments.train_size > 0:
        model = inception_net()
        start = time.perf_counter()
        train(model, images[:arguments.train_size], labels[:arguments.train_size], arguments.epochs,
              arguments.batch_size, 0, arguments.learning_rate)
        seconds = time.perf_counter() - start
        test_images, test_labels = load_mnist(arguments.data_dir, "test")
        model.eval()
        with torch.no_grad():
            predicted = torch.cat([model(test_images[i:i + 500]).argmax(1) for i in range(0, len(test_labels), 500)])
        result.update({"train_size": arguments.train_size, "epochs": arguments.epochs,
                       "train_seconds": round(seconds, 1),
                       "test_accuracy": round((predicted == test_labels).float().mean().item(), 4)})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
