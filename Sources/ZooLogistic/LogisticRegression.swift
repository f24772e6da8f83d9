// Multinomial logistic regression (Cox 1958; the softmax form as in Bishop 2006, §4.3.4), shown as what it is:
// a neural network with one `Linear` layer and no hidden layer, trained on softmax cross-entropy by mini-batch
// gradient descent through the shared `Trainer`.
// Deviations from scikit-learn's `LogisticRegression`: mini-batch Adam instead of full-batch L-BFGS, and an L2
// penalty only when `weightDecay` is set (scikit-learn's default is C = 1).
import ZooCore
import ZooNN
import ZooNetwork
import ZooTensor

/// Logistic regression for `classCount` classes: `[N, features] -> [N, classes]` probabilities
/// `softmax(x · Wᵀ + b)`. Fit, forward, save and load are `NetworkClassifier`'s; a file holds "0.weight"
/// `[classes, features]` and "0.bias" `[classes]`.
public typealias LogisticRegression = NetworkClassifier<LogisticConfiguration>

/// How to train logistic regression; the model itself has no other hyperparameter.
public struct LogisticConfiguration: NetworkConfiguration {
    /// Optimizer, batches, epochs and seed: `defaultTraining` unless given.
    public var training: TrainingConfiguration

    /// Logistic regression's training defaults: Adam, constant learning rate 0.001, batch 128, 20 epochs, seed 0.
    public static let defaultTraining = TrainingConfiguration(batchSize: 128, epochs: 20, schedule: .constant)

    public init(training: TrainingConfiguration = LogisticConfiguration.defaultTraining) {
        self.training = training
    }

    public init() { self.init(training: Self.defaultTraining) }

    public static var familyName: String { "logistic" }

    /// One `Linear(inputSize, classCount)` starting at zero (the loss is convex, so no random start is needed).
    /// Logits out; softmax lives in the loss for training and in `forward` for inference.
    public func makeLayers(input: InputShape, classCount: Int) -> [Layer] {
        [Linear(input.featureCount ?? 0, classCount, initialization: .zeros)]
    }

    /// `features · classes + classes`.
    public func storedValueCount(input: InputShape, classCount: Int) -> Int? {
        guard let features = input.featureCount else { return nil }
        return CheckedCount.sum([CheckedCount.product(features, classCount), classCount])
    }

    public var summary: String {
        "LogisticRegression (\(training.optimizer.kind.rawValue), lr \(training.optimizer.effectiveLearningRate), "
            + "batch \(training.batchSize), \(training.epochs) epochs, seed \(training.seed))"
    }
}
