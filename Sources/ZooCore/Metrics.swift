import ZooTensor

/// Fraction of `predicted` equal to `labels`, in 0...1.
public func accuracy(predicted: [Int], labels: [Int]) -> Double {
    precondition(predicted.count == labels.count,
                 "accuracy: \(predicted.count) predictions for \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// `matrix[true][predicted]` counts: row = true class, column = predicted class, `classCount x classCount`.
public func confusionMatrix(predicted: [Int], labels: [Int], classCount: Int) -> [[Int]] {
    precondition(predicted.count == labels.count,
                 "confusionMatrix: \(predicted.count) predictions for \(labels.count) labels")
    var matrix = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
    for (p, t) in zip(predicted, labels) { matrix[t][p] += 1 }
    return matrix
}

/// Root mean squared error between two same-shaped tensors: the lecture's first loss, in the targets' units.
public func rootMeanSquaredError(_ predictions: Tensor, _ targets: Tensor) -> Float {
    predictions.expectSameShape(targets, "rootMeanSquaredError")
    precondition(predictions.count > 0, "rootMeanSquaredError: empty tensors")
    return predictions.withUnsafeBufferPointer { p in
        targets.withUnsafeBufferPointer { t in
            var total = 0.0
            for i in 0..<p.count {
                let difference = Double(p[i]) - Double(t[i])
                total += difference * difference
            }
            return Float((total / Double(p.count)).squareRoot())
        }
    }
}
