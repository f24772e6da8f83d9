import ZooTensor

/// The multiclass hinge loss (Crammer & Singer 2001): per row `max(0, margin + max_{j≠label} output[j] -
/// output[label])`, averaged over the batch. With `margin: 0` it is the perceptron criterion: zero when the true
/// class already wins, otherwise how far the strongest wrong class is ahead. `[batch, classes]` scores.
///
/// The gradient is, for a row with positive loss, `+1` at the strongest wrong class and `-1` at the label
/// (divided by the batch size): the perceptron's "add to the right class, subtract from the wrong one".
public struct HingeLoss: Loss {
    /// How far the true class must lead every other class before the loss is zero (default 1, the SVM's margin).
    public var margin: Float

    /// A hinge loss with `margin` (default 1; 0 gives the perceptron criterion).
    public init(margin: Float = 1) {
        self.margin = margin
    }

    public var description: String { "HingeLoss(margin: \(margin))" }

    public func evaluate(_ outputs: Tensor, labels: [Int]) -> LossEvaluation {
        expectClassOutputs(outputs, labels, "HingeLoss")
        let (rows, classes) = (outputs.shape[0], outputs.shape[1])
        let inverseRows = 1 / Float(max(rows, 1))
        var total = 0.0
        var gradient = Tensor(shape: outputs.shape, repeating: 0)
        gradient.withUnsafeMutableBufferPointer { out in
            outputs.withUnsafeBufferPointer { scores in
                for row in 0..<rows {
                    let base = row * classes, label = labels[row]
                    var rival = -1
                    var rivalScore = -Float.infinity
                    for j in 0..<classes where j != label && scores[base + j] > rivalScore {
                        rival = j
                        rivalScore = scores[base + j]
                    }
                    guard rival >= 0 else { continue }
                    let violation = margin + rivalScore - scores[base + label]
                    if violation > 0 {
                        total += Double(violation)
                        out[base + rival] = inverseRows
                        out[base + label] = -inverseRows
                    }
                }
            }
        }
        return LossEvaluation(value: Float(total) * inverseRows, gradient: gradient)
    }
}
