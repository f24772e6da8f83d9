import ZooCore
import ZooData
import ZooTensor

/// What every network family does the same way, kept in one place: fit a network's logits to class labels with
/// softmax cross-entropy through the `Trainer`, and turn its logits into probabilities in memory-bounded chunks.
public enum NetworkClassifier {
    /// The number of classes `targets` imply: one more than the largest (MNIST's digits give 10).
    public static func classCount(_ targets: [Int]) -> Int {
        (targets.max() ?? -1) + 1
    }

    /// Trains `network` (`[N, features] -> [N, classes]` logits) on `inputs` and their class `targets`,
    /// minimising softmax cross-entropy with the optimizer, batches, epochs, split and seed of `training`.
    /// Throws on bad data or settings, and `TrainingError` when the loss diverges.
    public static func fit(_ network: Layer, inputs: Tensor, targets: [Int], training: TrainingConfiguration,
                           onEpoch: (EpochReport) -> Void = { _ in }) throws -> TrainingHistory {
        try validateTrainingData(inputs, targets)
        try training.validate()
        let data = DataLoader(inputs: inputs, labels: targets, batchSize: training.batchSize, shuffle: true,
                              seed: training.seed)
        return try Trainer(training).fit(network: network, loss: SoftmaxCrossEntropy(), data: data,
                                         epochs: training.epochs, onEpoch: onEpoch)
    }

    /// Class probabilities, `[N, features] -> [N, classes]`: inference-mode logits, softmax per row, computed
    /// `chunk` rows at a time so a large test set never holds every hidden activation at once.
    public static func probabilities(_ network: Layer, _ inputs: Tensor, chunk: Int = 4096) -> Tensor {
        precondition(inputs.rank == 2, "NetworkClassifier.probabilities: inputs of shape \(inputs.shape) are not [N, features]")
        let count = inputs.shape[0]
        guard count > chunk else { return softmaxRows(network(inputs)) }
        var parts: [Tensor] = []
        for start in stride(from: 0, to: count, by: chunk) {
            parts.append(softmaxRows(network(inputs.rows(start..<min(start + chunk, count)))))
        }
        let classes = parts[0].shape[1]
        return Tensor(shape: [count, classes]) { out in
            var offset = 0
            for part in parts {
                part.withUnsafeBufferPointer { (out.baseAddress! + offset).update(from: $0.baseAddress!, count: $0.count) }
                offset += part.count
            }
        }
    }
}
