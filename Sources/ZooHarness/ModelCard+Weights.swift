// What a card says so the weights can be used without zoo: each family's tensors (name, shape, layout), the input
// preprocessing, and a NumPy forward pass that reproduces the card's accuracy (scripts/check-cards runs them).

import ZooCore
import ZooInception

extension ModelCard {
    /// The `InceptionConfiguration.width` of `model` when it is an Inception network, else 1.
    public static func inceptionWidth(of model: any Model) -> Int {
        (model as? InceptionNet)?.configuration.width ?? 1
    }

    /// The "Using the weights elsewhere" section of a `family`'s card, nil for a family without one;
    /// `inceptionWidth` is an Inception network's `InceptionConfiguration.width`.
    public static func weightsGuide(family: String, inceptionWidth: Int = 1) -> String? {
        let w = inceptionWidth
        switch family {
        case "tree":
            return """
                ## Using the weights elsewhere

                | tensor | shape | layout and meaning |
                |---|---|---|
                | `feature` | I32 `[nodes]` | the pixel (0...783, row-major) an inner node tests |
                | `threshold` | F32 `[nodes]` | go left when `pixel <= threshold`, pixels on the 0...1 scale (byte / 255) |
                | `left`, `right` | I32 `[nodes]` | child node indices; `left = -1` marks a leaf (its `feature`, `threshold`, `right` mean nothing) |
                | `class_counts` | I32 `[nodes, 10]` | training images of each class that reached the node; a leaf predicts the largest |

                Input: the 28x28 image as 784 floats, row-major, byte / 255 (white ink on black, as MNIST). This NumPy forward pass reproduces the accuracy above from the safetensors file alone
                \(Self.numpyPreamble)
                node = np.zeros(len(x), dtype=np.int64)                  # every image starts at the root, node 0
                while True:
                    inner = t["left"][node] >= 0                         # left = -1 marks a leaf
                    if not inner.any(): break
                    rows = np.nonzero(inner)[0]
                    n = node[rows]
                    goes_left = x[rows, t["feature"][n]] <= t["threshold"][n]   # threshold on the 0...1 scale
                    node[rows] = np.where(goes_left, t["left"][n], t["right"][n])
                predicted = t["class_counts"][node].argmax(1)            # the leaf's most frequent training class
                print("accuracy", np.mean(predicted == labels))
                ```
                """
        case "linear":
            return """
                ## Using the weights elsewhere

                | tensor | shape | layout and meaning |
                |---|---|---|
                | `coefficients` | `[784, 10]` | `[features, classes]`, `[in, out]`: the transpose of `nn.Linear`'s weight |
                | `intercept` | `[10]` | one-hot least squares: the class is the largest score |

                Input: the 28x28 image as 784 floats, row-major, byte / 255 (white ink on black, as MNIST). This NumPy forward pass reproduces the accuracy above from the safetensors file alone
                \(Self.numpyPreamble)
                scores = x @ t["coefficients"] + t["intercept"]   # [features, classes]: note, the transpose of nn.Linear's
                print("accuracy", np.mean(scores.argmax(1) == labels))
                ```
                """
        case "logistic":
            return """
                ## Using the weights elsewhere

                | tensor | shape | layout and meaning |
                |---|---|---|
                | `0.weight` | `[10, 784]` | `[classes, features]`, `[out, in]` as PyTorch's `nn.Linear` |
                | `0.bias` | `[10]` | |

                Input: the 28x28 image as 784 floats, row-major, byte / 255 (white ink on black, as MNIST). This NumPy forward pass reproduces the accuracy above from the safetensors file alone
                \(Self.numpyPreamble)
                logits = x @ t["0.weight"].T + t["0.bias"]   # [classes, features], as PyTorch's nn.Linear; softmax is monotone
                print("accuracy", np.mean(logits.argmax(1) == labels))
                ```
                """
        case "perceptron":
            return """
                ## Using the weights elsewhere

                | tensor | shape | layout and meaning |
                |---|---|---|
                | `weight` | `[10, 784]` | `[classes, features]`, `[out, in]`; averaged over all training steps |
                | `bias` | `[10]` | |

                Input: the 28x28 image as 784 floats, row-major, byte / 255 (white ink on black, as MNIST). This NumPy forward pass reproduces the accuracy above from the safetensors file alone
                \(Self.numpyPreamble)
                scores = x @ t["weight"].T + t["bias"]   # [classes, features], one averaged perceptron per class
                print("accuracy", np.mean(scores.argmax(1) == labels))
                ```
                """
        case "mlp":
            return """
                ## Using the weights elsewhere

                | tensor | shape | layout and meaning |
                |---|---|---|
                | `0.mean`, `0.std` | `[1]` | Standardize: one mean and standard deviation over all training pixels (0...1 scale) |
                | `1.weight` | `[256, 784]` | first Linear, `[out, in]` as PyTorch's `nn.Linear` |
                | `1.bias` | `[256]` | |
                | `3.weight` | `[10, 256]` | output Linear, `[out, in]`; layer 2 is the ReLU, which holds nothing |
                | `3.bias` | `[10]` | |

                Input: the 28x28 image as 784 floats, row-major, byte / 255 (white ink on black, as MNIST), then standardised. This NumPy forward pass reproduces the accuracy above from the safetensors file alone
                \(Self.numpyPreamble)
                x = (x - t["0.mean"]) / t["0.std"]                   # Standardize: one mean and std for all pixels
                h = np.maximum(x @ t["1.weight"].T + t["1.bias"], 0)  # Linear [out, in] as PyTorch's, then ReLU
                logits = h @ t["3.weight"].T + t["3.bias"]
                print("accuracy", np.mean(logits.argmax(1) == labels))
                ```
                """
        case "inception":
            return """
                ## Using the weights elsewhere

                | tensor | shape | layout and meaning |
                |---|---|---|
                | `<unit>.conv.weight` | `[kh, kw, in, out]` | HWIO (TensorFlow's layout; PyTorch's OIHW is `transpose(3, 2, 0, 1)`), stride 1, 'same' padding, no bias |
                | `<unit>.bn.weight`, `.bn.bias` | `[out]` | batch norm γ and β after each convolution, then ReLU |
                | `<unit>.bn.running_mean`, `.bn.running_var` | `[out]` | the statistics inference uses, ε = 1e-5 |
                | `classifier.weight` | `[10, \(128 * w)]` | `[out, in]` after global average pooling |
                | `classifier.bias` | `[10]` | |

                Units, input side first: `stem` (3x3, 1 → \(32 * w)), then 2x2 max-pool; `block1` (\(32 * w) → \(64 * w)) and, after another 2x2 max-pool,
                `block2` (\(64 * w) → \(128 * w)), each with four branches concatenated along channels in this order: `branch1x1` (1x1),
                `branch3x3.0` (1x1 reduce) → `branch3x3.1` (3x3), `branch5x5.0` (1x1 reduce) → `branch5x5.1` (5x5), and a 3x3
                stride-1 max-pool (padded with -∞) → `branchPool.1` (1x1). Files zoo wrote before these names number the
                tensors instead (`1.0.weight`, `3.12.weight`); the code below renames them.

                Input: the 28x28 image, byte / 255 (white ink on black, as MNIST), as NHWC `[N, 28, 28, 1]`; no standardisation. This NumPy forward pass reproduces the accuracy above from the safetensors file alone
                \(Self.numpyPreamble)
                if "1.0.weight" in t:  # a file of the first format (positional names, as shipped before path names): rename
                    units = ["branch1x1", "branch3x3.0", "branch3x3.1", "branch5x5.0", "branch5x5.1", "branchPool.1"]
                    names = {"1.0.weight": "stem.conv.weight", "1.1.weight": "stem.bn.weight", "1.2.bias": "stem.bn.bias",
                             "1.3.running_mean": "stem.bn.running_mean", "1.4.running_var": "stem.bn.running_var",
                             "7.weight": "classifier.weight", "7.bias": "classifier.bias"}
                    for index, name in [(3, "block1"), (5, "block2")]:
                        for u, unit in enumerate(units):
                            for k, tensor in enumerate(["conv.weight", "bn.weight", "bn.bias"]):
                                names[f"{index}.{3 * u + k}.{tensor.split('.')[1]}"] = f"{name}.{unit}.{tensor}"
                            for k, tensor in enumerate(["running_mean", "running_var"]):
                                names[f"{index}.{18 + 2 * u + k}.{tensor}"] = f"{name}.{unit}.bn.{tensor}"
                    t = {names[key]: value for key, value in t.items()}

                def conv_unit(x, prefix):
                    # 'same' stride-1 convolution (HWIO kernel, no bias), batch norm (running statistics, eps 1e-5), ReLU.
                    w = t[prefix + ".conv.weight"]                        # [kh, kw, in, out]
                    k = w.shape[0]; p = k // 2
                    padded = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
                    out = np.zeros(x.shape[:3] + (w.shape[3],), np.float32)
                    for i in range(k):
                        for j in range(k):
                            out += padded[:, i:i + x.shape[1], j:j + x.shape[2], :] @ w[i, j]
                    scale = t[prefix + ".bn.weight"] / np.sqrt(t[prefix + ".bn.running_var"] + 1e-5)
                    return np.maximum((out - t[prefix + ".bn.running_mean"]) * scale + t[prefix + ".bn.bias"], 0)

                def max_pool2(x):                                         # 2x2, stride 2
                    n, h, w, c = x.shape
                    return x[:, :h // 2 * 2, :w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))

                def max_pool3_same(x):                                    # 3x3, stride 1, padded with -inf
                    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)), constant_values=-np.inf)
                    return np.max([padded[:, i:i + x.shape[1], j:j + x.shape[2]] for i in range(3) for j in range(3)], axis=0)

                def block(x, name):                                       # four branches, concatenated in this order
                    return np.concatenate([
                        conv_unit(x, name + ".branch1x1"),
                        conv_unit(conv_unit(x, name + ".branch3x3.0"), name + ".branch3x3.1"),
                        conv_unit(conv_unit(x, name + ".branch5x5.0"), name + ".branch5x5.1"),
                        conv_unit(max_pool3_same(x), name + ".branchPool.1"),
                    ], axis=3)

                predicted = []
                for start in range(0, len(x), 500):
                    h = x[start:start + 500].reshape(-1, 28, 28, 1)      # NHWC
                    h = max_pool2(conv_unit(h, "stem"))
                    h = max_pool2(block(h, "block1"))
                    h = block(h, "block2").mean(axis=(1, 2))              # global average pool -> [N, \(128 * w)]
                    predicted.append((h @ t["classifier.weight"].T + t["classifier.bias"]).argmax(1))
                print("accuracy", np.mean(np.concatenate(predicted) == labels))
                ```
                """
        default:
            return nil
        }
    }

    /// What every card's NumPy forward pass starts with: how to run it, the imports, MNIST's test set and the
    /// model's tensors, as `x` `[10000, 784]` floats in 0...1, `labels` and `t` (name -> array).
    private static let numpyPreamble = """
        (`scripts/check-cards` runs it: `python3 - MODEL.safetensors MNIST_DIR`):

        ```python
        import gzip, sys
        import numpy as np
        from safetensors.numpy import load_file

        def mnist_test(folder):
            # MNIST's test images as [10000, 784] floats in 0...1 (byte / 255, row-major 28x28) and their labels.
            images = np.frombuffer(gzip.open(f"{folder}/t10k-images-idx3-ubyte.gz").read(), np.uint8, offset=16)
            labels = np.frombuffer(gzip.open(f"{folder}/t10k-labels-idx1-ubyte.gz").read(), np.uint8, offset=8)
            return images.reshape(-1, 784).astype(np.float32) / 255, labels

        t = load_file(sys.argv[1])           # the .safetensors file
        x, labels = mnist_test(sys.argv[2])  # the folder holding MNIST's t10k-*.gz
        """
}
