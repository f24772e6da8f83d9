// The multilayer perceptron (Rumelhart, Hinton & Williams 1986: "Learning representations by back-propagating
// errors"): fully connected layers with a nonlinearity between them, trained by backpropagation. Here with the
// modern defaults: ReLU (Nair & Hinton 2010), He initialisation (He et al. 2015), Adam (Kingma & Ba 2015), and
// optional batch normalisation (Ioffe & Szegedy 2015) after each activation.
// Deviation from the 1986 paper: softmax cross-entropy on the outputs instead of squared error on sigmoids.
import ZooCore
import ZooNN
import ZooTensor

/// A multilayer perceptron classifier: `[N, features] -> [N, classes]` probabilities through
/// `Linear(features, h₁), activation, [BatchNorm(h₁)], …, Linear(hₖ, classes)` and a softmax.
public final class MLP: NetworkModel {
    /// The architecture and how to train it.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Width of each hidden layer, input side first (default `[256]`: 784-256-10 on MNIST).
        public var hiddenSizes: [Int]
        /// Nonlinearity after each hidden `Linear` (default ReLU).
        public var activation: Activation
        /// A `BatchNorm` after each hidden activation (default false).
        public var batchNorm: Bool
        /// Optimizer, batches, epochs, schedule and seed (also the seed of the initial weights). Defaults: Adam,
        /// learning rate 0.001 annealed to zero by a cosine schedule, batch 128, 10 epochs, seed 0.
        public var training: TrainingConfiguration

        /// Hyperparameters with the defaults above; `learningRate` nil means the optimizer's default.
        public init(hiddenSizes: [Int] = [256], activation: Activation = .relu, batchNorm: Bool = false,
                    optimizer: OptimizerKind = .adam, learningRate: Float? = nil, weightDecay: Float = 0,
                    batchSize: Int = 128, epochs: Int = 10, validationFraction: Double = 0, patience: Int? = nil,
                    schedule: LearningRateSchedule = .cosine, seed: UInt64 = 0, quiet: Bool = false) {
            self.hiddenSizes = hiddenSizes
            self.activation = activation
            self.batchNorm = batchNorm
            training = TrainingConfiguration(
                optimizer: OptimizerConfiguration(kind: optimizer, learningRate: learningRate, weightDecay: weightDecay),
                batchSize: batchSize, epochs: epochs, validationFraction: validationFraction, patience: patience,
                schedule: schedule, seed: seed, quiet: quiet)
        }

        /// Throws when a hidden size is not positive or a training setting is out of range.
        public func validate() throws {
            if let bad = hiddenSizes.first(where: { $0 < 1 }) {
                throw ModelError.invalidHyperparameter(name: "hidden size", value: "\(bad)", reason: "must be ≥ 1")
            }
            try training.validate()
        }
    }

    /// The hyperparameters, as given.
    public let configuration: Configuration
    /// The network, nil until `fit` or `prepare`.
    public private(set) var network: Sequential?
    /// Loss and accuracy per epoch of the last `fit`.
    public private(set) var history: TrainingHistory?

    /// Stores the hyperparameters; learns nothing yet.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var family: String { "mlp" }

    /// The architecture for `inputSize` features and `classCount` classes, with weights drawn from the
    /// configuration's seed (He for ReLU, Glorot for sigmoid and tanh): `standardize` (by default the identity
    /// until fitted) and the layers of `makeLayers`. Outputs logits.
    public static func makeNetwork(_ configuration: Configuration, inputSize: Int, classCount: Int,
                                   standardize: Standardize = Standardize()) -> Sequential {
        Sequential([standardize] + makeLayers(configuration, inputSize: inputSize, classCount: classCount).layers)
    }

    /// The learned part of the network, after the input standardisation:
    /// `Linear(inputSize, h₁), activation, [BatchNorm(h₁)], …, Linear(hₖ, classCount)`.
    public static func makeLayers(_ configuration: Configuration, inputSize: Int, classCount: Int) -> Sequential {
        var generator = SeededGenerator(seed: configuration.training.seed).derived(0x6D6C70)
        var layers: [Layer] = []
        var width = inputSize
        for hidden in configuration.hiddenSizes {
            layers.append(Linear(width, hidden, initialization: configuration.activation.initialization,
                                 using: &generator))
            layers.append(configuration.activation.makeLayer())
            if configuration.batchNorm { layers.append(BatchNorm(hidden)) }
            width = hidden
        }
        layers.append(Linear(width, classCount, initialization: .glorot, using: &generator))
        return Sequential(layers)
    }

    /// Builds the untrained network for `inputSize` features and `classCount` classes, replacing any fitted one:
    /// where loading saved weights starts.
    public func prepare(inputSize: Int, classCount: Int) {
        network = Self.makeNetwork(configuration, inputSize: inputSize, classCount: classCount)
        history = nil
    }

    /// Trains a freshly initialised network on `inputs` `[N, features]` and their class indices. The inputs are
    /// standardised once up front (not once per batch and epoch); the fitted `Standardize` then heads the network.
    public func fit(_ inputs: Tensor, _ targets: [Int]) throws {
        try configuration.validate()
        try validateTrainingData(inputs, targets)
        let standardize = Standardize(fittedTo: inputs)
        let layers = Self.makeLayers(configuration, inputSize: inputs.shape[1],
                                     classCount: NetworkClassifier.classCount(targets))
        history = try NetworkClassifier.fit(layers, inputs: standardize(inputs), targets: targets,
                                            training: configuration.training)
        network = Sequential([standardize] + layers.layers)
    }

    public var parameterCount: Int { network?.parameterCount ?? 0 }

    public var description: String {
        let c = configuration, training = configuration.training
        let header = "MLP (hidden \(c.hiddenSizes.map(String.init).joined(separator: ",")), \(c.activation.rawValue)"
            + (c.batchNorm ? ", batch norm" : "") + ", \(training.optimizer.kind.rawValue), lr "
            + "\(training.optimizer.effectiveLearningRate), batch \(training.batchSize), \(training.epochs) epochs, "
            + "seed \(training.seed))"
        guard let network else { return header + ", not fitted" }
        return header + "\n" + network.description
    }
}
