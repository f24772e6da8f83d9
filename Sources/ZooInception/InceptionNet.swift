// A small GoogLeNet for 28x28 digits, after Szegedy et al. 2014, "Going Deeper with Convolutions"
// (arXiv:1409.4842): a convolutional stem, Inception modules between max-pool stages, global average pooling
// and one linear classifier (the paper's figure 3, shrunk).
//
// Deviations from the paper: batch normalisation after every convolution (see InceptionBlock.swift); two
// Inception modules instead of nine; no auxiliary classifiers, no local response normalisation, no dropout
// before the classifier; trained with Adam (learning rate annealed by a cosine) instead of asynchronous SGD with
// momentum (rate cut by 4% every 8 epochs).

import ZooCore
import ZooData
import ZooNN
import ZooTensor

/// The Inception family: a small convolutional network with two Inception modules, 34,442 parameters.
///
/// `[N, 784]` pixels in 0...1 -> reshaped to NHWC `[N, 28, 28, 1]` -> stem 3x3 convolution (32) + BN + ReLU
/// `[N, 28, 28, 32]` -> max-pool 2x2 `[N, 14, 14, 32]` -> Inception `[N, 14, 14, 64]` -> max-pool 2x2
/// `[N, 7, 7, 64]` -> Inception `[N, 7, 7, 128]` -> global average pool `[N, 128]` -> Linear `[N, 10]`.
public final class InceptionNet: NetworkModel {
    /// How to train. With these defaults, `zoo train --model inception --size 60k` reaches 99.39% test accuracy
    /// (seed 0; Benchmarks/inception/README.md).
    public struct Configuration: Sendable, Equatable, Codable {
        /// Optimizer, batch size, epochs, schedule and seed (also the seed of the weight initialisation).
        /// Defaults: Adam with learning rate 0.01 annealed to zero by a cosine schedule (big steps first, fine
        /// ones at the end, which the last epochs' accuracy needs), batch size 64, 6 epochs, seed 0.
        public var training: TrainingConfiguration

        public init(training: TrainingConfiguration = TrainingConfiguration(
            optimizer: OptimizerConfiguration(kind: .adam, learningRate: 0.01), batchSize: 64, epochs: 6,
            schedule: .cosine)) {
            self.training = training
        }
    }

    /// Side of the square grey-scale input images.
    public static let imageSide = 28
    /// Number of classes (digits).
    public static let classCount = 10

    public let family = "inception"
    /// The settings `fit` uses.
    public let configuration: Configuration
    /// The fitted network, `[N, 784] -> [N, 10]` logits; nil before `fit`. Settable so that a saved model can be
    /// restored: build one with `InceptionNet.makeNetwork(seed:)`, copy the stored parameter and buffer values in,
    /// and assign it.
    public var network: Sequential?
    /// Loss and accuracy per epoch of the last `fit`.
    public private(set) var history: TrainingHistory?

    /// Stores the configuration; no work until `fit`.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The untrained network with weights drawn from `seed`: `[N, 784] -> [N, 10]` logits.
    public static func makeNetwork(seed: UInt64 = 0) -> Sequential {
        var generator = SeededGenerator(seed: seed)
        let firstBlock = InceptionBlock(32, b1x1: 16, b3x3Reduce: 16, b3x3: 24, b5x5Reduce: 8, b5x5: 12,
                                        poolProjection: 12, using: &generator)
        let secondBlock = InceptionBlock(firstBlock.outputChannels, b1x1: 32, b3x3Reduce: 32, b3x3: 48,
                                         b5x5Reduce: 8, b5x5: 24, poolProjection: 24, using: &generator)
        return Sequential(
            Reshape([imageSide, imageSide, 1]),
            convolution(1, firstBlock.inputChannels, kernel: 3, using: &generator),
            MaxPool2D(size: 2),
            firstBlock,
            MaxPool2D(size: 2),
            secondBlock,
            GlobalAvgPool(),
            Linear(secondBlock.outputChannels, classCount, using: &generator))
    }

    /// Trains a fresh network on `inputs` `[N, 784]` and digit labels `targets` with the configuration's
    /// optimizer, batch size, epochs and schedule, through the shared `Trainer`.
    public func fit(_ inputs: Tensor, _ targets: [Int]) throws {
        try fit(inputs, targets) { _ in }
    }

    /// `fit`, calling `onEpoch` after every epoch; during the call the model predicts with the network as
    /// trained so far (to score a test set per epoch, say).
    public func fit(_ inputs: Tensor, _ targets: [Int], onEpoch: (EpochReport) -> Void) throws {
        try configuration.training.validate()
        try validateTrainingData(inputs, targets, classCount: Self.classCount)
        try checkWidth(inputs)
        let settings = configuration.training
        let network = Self.makeNetwork(seed: settings.seed)
        let data = DataLoader(inputs: inputs, labels: targets, batchSize: settings.batchSize, shuffle: true,
                              seed: settings.seed)
        let trainer = Trainer(settings)
        self.network = network
        do {
            history = try trainer.fit(network: network, loss: SoftmaxCrossEntropy(), data: data,
                                      epochs: settings.epochs, onEpoch: onEpoch)
        } catch {
            self.network = nil
            throw error
        }
    }

    /// Inference runs 256 images at a time: a convolutional network's activations are large.
    public var inferenceChunk: Int { 256 }

    /// Learned values of the fitted network (or of a fresh one before `fit`).
    public var parameterCount: Int { (network ?? Self.makeNetwork()).parameterCount }

    /// The layer structure with parameter counts, and the training settings.
    public var description: String {
        "InceptionNet (Szegedy et al. 2014, small), \(Format.count(parameterCount)) parameters, "
            + "\(configuration.training.optimizer.kind) lr \(configuration.training.optimizer.effectiveLearningRate), "
            + "\(configuration.training.schedule) schedule, batch \(configuration.training.batchSize), "
            + "\(configuration.training.epochs) epochs\n"
            + "\(network ?? Self.makeNetwork())"
    }

    private func checkWidth(_ inputs: Tensor) throws {
        guard inputs.columns == Self.imageSide * Self.imageSide else {
            throw ModelError.shapeMismatch(expected: "[N, \(Self.imageSide * Self.imageSide)] (28x28 images)",
                                           actual: inputs.shape)
        }
    }
}
