// Multinomial logistic regression (Cox 1958; the softmax form as in Bishop 2006, §4.3.4), shown as what it is:
// a neural network with one `Linear` layer and no hidden layer, trained on softmax cross-entropy by mini-batch
// gradient descent through the shared `Trainer`.
// Deviations from scikit-learn's `LogisticRegression`: mini-batch Adam instead of full-batch L-BFGS, and an L2
// penalty only when `weightDecay` is set (scikit-learn's default is C = 1).
import ZooCore
import ZooNN
import ZooTensor

/// Logistic regression for `classCount` classes: `[N, features] -> [N, classes]` probabilities
/// `softmax(x · Wᵀ + b)`.
public final class LogisticRegression: NetworkModel {
    /// How to train; the model itself has no other hyperparameter.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Optimizer, batches, epochs and seed. Defaults: Adam, constant learning rate 0.001, batch 128, 20 epochs,
        /// seed 0.
        public var training: TrainingConfiguration

        /// Hyperparameters with the defaults above; `learningRate` nil means the optimizer's default.
        public init(optimizer: OptimizerKind = .adam, learningRate: Float? = nil, weightDecay: Float = 0,
                    batchSize: Int = 128, epochs: Int = 20, validationFraction: Double = 0, patience: Int? = nil,
                    schedule: LearningRateSchedule = .constant, seed: UInt64 = 0, quiet: Bool = false) {
            training = TrainingConfiguration(
                optimizer: OptimizerConfiguration(kind: optimizer, learningRate: learningRate, weightDecay: weightDecay),
                batchSize: batchSize, epochs: epochs, validationFraction: validationFraction, patience: patience,
                schedule: schedule, seed: seed, quiet: quiet)
        }
    }

    /// The hyperparameters, as given.
    public let configuration: Configuration
    /// The one-layer network `Sequential(Linear(features, classes))`, nil until `fit` or `prepare`.
    public private(set) var network: Sequential?
    /// Loss and accuracy per epoch of the last `fit`.
    public private(set) var history: TrainingHistory?

    /// Stores the hyperparameters; learns nothing yet.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var family: String { "logistic" }

    /// The architecture: one `Linear(inputSize, classCount)` starting at zero (the loss is convex, so no random
    /// start is needed). Logits out; softmax lives in the loss for training and in `forward` for inference.
    public static func makeNetwork(inputSize: Int, classCount: Int) -> Sequential {
        Sequential(Linear(inputSize, classCount, initialization: .zeros))
    }

    /// Builds the untrained network for `inputSize` features and `classCount` classes, replacing any fitted one:
    /// where loading saved weights starts.
    public func prepare(inputSize: Int, classCount: Int) {
        network = Self.makeNetwork(inputSize: inputSize, classCount: classCount)
        history = nil
    }

    /// Learns `W` and `b` from `inputs` `[N, features]` and their class indices, minimising softmax cross-entropy.
    public func fit(_ inputs: Tensor, _ targets: [Int]) throws {
        try validateTrainingData(inputs, targets)
        let network = Self.makeNetwork(inputSize: inputs.shape[1], classCount: NetworkClassifier.classCount(targets))
        history = try NetworkClassifier.fit(network, inputs: inputs, targets: targets,
                                            training: configuration.training)
        self.network = network
    }

    public var parameterCount: Int { network?.parameterCount ?? 0 }

    public var description: String {
        let training = configuration.training
        let header = "LogisticRegression (\(training.optimizer.kind.rawValue), lr \(training.optimizer.effectiveLearningRate), "
            + "batch \(training.batchSize), \(training.epochs) epochs, seed \(training.seed))"
        guard let network else { return header + ", not fitted" }
        return header + "\n" + network.description
    }
}
