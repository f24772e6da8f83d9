import ZooTensor

/// A loss's value on one batch and its gradient with respect to the outputs it was given.
public struct LossEvaluation: Sendable {
    /// The mean loss over the batch.
    public var value: Float
    /// dLoss/dOutputs, the same shape as the outputs `[batch, classes]`: what `backward` of the last layer takes.
    public var gradient: Tensor

    public init(value: Float, gradient: Tensor) {
        self.value = value
        self.gradient = gradient
    }
}

/// Scores a batch of model outputs against class labels, lower is better, and says how to change the outputs to
/// lower it. Generic over models: a loss sees only the outputs `[batch, classes]`, never the model that made them.
///
/// Every loss is the *mean* over the batch, so the gradient is already divided by the batch size and learning
/// rates do not depend on it.
public protocol Loss: Sendable, CustomStringConvertible {
    /// The mean loss of `outputs` `[batch, classes]` for `labels` (`batch` values in `0..<classes`) and
    /// dLoss/dOutputs `[batch, classes]`.
    func evaluate(_ outputs: Tensor, labels: [Int]) -> LossEvaluation
}

extension Loss {
    /// The mean loss only.
    public func value(_ outputs: Tensor, labels: [Int]) -> Float {
        evaluate(outputs, labels: labels).value
    }
}

/// Checks the shapes every loss needs: `[batch, classes]` outputs, one label per row, each in `0..<classes`.
func expectClassOutputs(_ outputs: Tensor, _ labels: [Int], _ loss: String) {
    precondition(outputs.rank == 2 && outputs.shape[0] == labels.count,
                 "\(loss): outputs of shape \(outputs.shape) for \(labels.count) labels")
    precondition(labels.allSatisfy { $0 >= 0 && $0 < outputs.shape[1] },
                 "\(loss): a label is outside 0..<\(outputs.shape[1])")
}

/// `labels` as rows of zeros with a one in the label's column: `N` labels -> `[N, classCount]`.
/// The targets a regression on classes (least squares) fits.
public func oneHot(_ labels: [Int], classCount: Int) -> Tensor {
    precondition(labels.allSatisfy { $0 >= 0 && $0 < classCount },
                 "oneHot: a label is outside 0..<\(classCount)")
    var result = Tensor(shape: [labels.count, classCount], repeating: 0)
    result.withUnsafeMutableBufferPointer { values in
        for (row, label) in labels.enumerated() { values[row * classCount + label] = 1 }
    }
    return result
}
