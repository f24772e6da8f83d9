import ZooTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax followed by cross-entropy, fused into one numerically stable step: the loss of logistic regression
/// and of every classifier network here. Takes *logits* (raw scores) `[batch, classes]`.
///
/// `loss = mean over rows of (logSumExp(row) - row[label])`, where `logSumExp(x) = max(x) + log Σ exp(x - max(x))`
/// never overflows. The gradient is the famous `(softmax(row) - oneHot(label)) / batch`.
public struct SoftmaxCrossEntropy: Loss {
    public init() {}

    public var description: String { "SoftmaxCrossEntropy" }

    public func evaluate(_ outputs: Tensor, labels: [Int]) -> LossEvaluation {
        expectClassOutputs(outputs, labels, "SoftmaxCrossEntropy")
        let (rows, classes) = (outputs.shape[0], outputs.shape[1])
        let inverseRows = 1 / Float(max(rows, 1))
        var total = 0.0
        let gradient = Tensor(shape: outputs.shape) { out in
            outputs.withUnsafeBufferPointer { logits in
                for row in 0..<rows {
                    let base = row * classes
                    let (largest, sum) = exponentiateRow(logits.baseAddress! + base, into: out.baseAddress! + base,
                                                         count: classes)
                    let logSumExp = largest + logf(sum)
                    total += Double(logSumExp - logits[base + labels[row]])
                    let scale = inverseRows / sum
                    for j in 0..<classes { out[base + j] *= scale }
                    out[base + labels[row]] -= inverseRows
                }
            }
        }
        return LossEvaluation(value: Float(total) * inverseRows, gradient: gradient)
    }
}

/// The stable core of softmax, shared by `softmaxRows` and `SoftmaxCrossEntropy`: writes `exp(x - max)` of one
/// row of `count` values into `out` and returns that maximum and the sum of the exponentials.
@inline(__always)
private func exponentiateRow(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                             count: Int) -> (largest: Float, sum: Float) {
    var largest = -Float.infinity
    for j in 0..<count { largest = max(largest, x[j]) }
    var sum: Float = 0
    for j in 0..<count {
        let e = expf(x[j] - largest)
        out[j] = e
        sum += e
    }
    return (largest, sum)
}

/// Softmax of each row, `[batch, classes] -> [batch, classes]` probabilities, computed stably (shifted by the
/// row maximum). What a classifier's `forward` returns.
public func softmaxRows(_ logits: Tensor) -> Tensor {
    let (rows, classes) = (logits.rows, logits.columns)
    return Tensor(shape: logits.shape) { out in
        logits.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                let base = row * classes
                let sum = exponentiateRow(x.baseAddress! + base, into: out.baseAddress! + base, count: classes).sum
                let inverse = 1 / sum
                for j in 0..<classes { out[base + j] *= inverse }
            }
        }
    }
}

/// Mean negative log-probability of the true class: the cross-entropy of *probabilities* `[batch, classes]`
/// (what a classifier's `forward` returns), with each probability clamped to ≥ 1e-12 so a confident mistake
/// costs a large but finite loss. Equals `SoftmaxCrossEntropy` on the logits the probabilities came from.
public func crossEntropy(probabilities: Tensor, labels: [Int]) -> Float {
    expectClassOutputs(probabilities, labels, "crossEntropy")
    let classes = probabilities.shape[1]
    guard !labels.isEmpty else { return 0 }
    return probabilities.withUnsafeBufferPointer { p in
        var total = 0.0
        for (row, label) in labels.enumerated() {
            total -= Double(logf(max(p[row * classes + label], 1e-12)))
        }
        return Float(total / Double(labels.count))
    }
}
