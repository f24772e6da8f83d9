import ZooTensor

/// Mean squared error, the lecture's first loss: `mean((outputs - targets)²)` over every value of the batch.
///
/// With class labels the targets are their one-hot rows, which is how least squares classifies: regress the
/// one-hot code, predict the largest output. `[batch, classes]` outputs; the square root of the value is the RMSE.
public struct MeanSquaredError: Loss {
    public init() {}

    public var description: String { "MeanSquaredError" }

    /// The loss against one-hot `labels`.
    public func evaluate(_ outputs: Tensor, labels: [Int]) -> LossEvaluation {
        expectClassOutputs(outputs, labels, "MeanSquaredError")
        return evaluate(outputs, targets: oneHot(labels, classCount: outputs.shape[1]))
    }

    /// The loss against real-valued `targets` of the outputs' shape: `2 (outputs - targets) / count` is the gradient.
    public func evaluate(_ outputs: Tensor, targets: Tensor) -> LossEvaluation {
        outputs.expectSameShape(targets, "MeanSquaredError")
        precondition(outputs.count > 0, "MeanSquaredError: empty outputs")
        let scale = 2 / Float(outputs.count)
        var total = 0.0
        let gradient = Tensor(shape: outputs.shape) { out in
            outputs.withUnsafeBufferPointer { o in
                targets.withUnsafeBufferPointer { t in
                    for i in 0..<o.count {
                        let difference = o[i] - t[i]
                        total += Double(difference * difference)
                        out[i] = scale * difference
                    }
                }
            }
        }
        return LossEvaluation(value: Float(total / Double(outputs.count)), gradient: gradient)
    }
}
