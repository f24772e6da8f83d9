// A small GoogLeNet for digits, after Szegedy et al. 2014, "Going Deeper with Convolutions"
// (arXiv:1409.4842): a convolutional stem, Inception modules between max-pool stages, global average pooling
// and one linear classifier (the paper's figure 3, shrunk).
//
// Deviations from the paper: batch normalisation after every convolution (see InceptionBlock.swift); two
// Inception modules instead of nine; no auxiliary classifiers, no local response normalisation, no dropout
// before the classifier; trained with Adam (learning rate annealed by a cosine) instead of asynchronous SGD with
// momentum (rate cut by 4% every 8 epochs).

import ZooCore
import ZooNN
import ZooNetwork
import ZooTensor

/// The Inception family: a small convolutional network with two Inception modules, 34,442 parameters on MNIST.
///
/// `[N, H·W·C]` pixels in 0...1 (or `[N, H, W, C]`) -> reshaped to NHWC `[N, H, W, C]` -> stem 3x3 convolution
/// (32) + BN + ReLU -> max-pool 2x2 -> Inception (64 channels) -> max-pool 2x2 -> Inception (128) -> global
/// average pool `[N, 128]` -> Linear `[N, classes]`. On MNIST: `[N, 28, 28, 1]` -> `[N, 14, 14, 64]` ->
/// `[N, 7, 7, 128]` -> `[N, 10]`. Fit, forward, save and load are `NetworkClassifier`'s.
public typealias InceptionNet = NetworkClassifier<InceptionConfiguration>

/// How to train the Inception network. With these defaults, `zoo train --model inception --size 60k` reaches
/// 99.39% test accuracy (seed 0; Benchmarks/inception/README.md).
public struct InceptionConfiguration: NetworkConfiguration {
    /// Optimizer, batch size, epochs, schedule and seed (also the seed of the weight initialisation):
    /// `defaultTraining` unless given.
    public var training: TrainingConfiguration

    /// Adam with learning rate 0.01 annealed to zero by a cosine schedule (big steps first, fine ones at the end,
    /// which the last epochs' accuracy needs), batch size 64, 6 epochs, seed 0.
    public static let defaultTraining = TrainingConfiguration(
        optimizer: OptimizerConfiguration(kind: .adam, learningRate: 0.01), batchSize: 64, epochs: 6,
        schedule: .cosine)

    public init(training: TrainingConfiguration = InceptionConfiguration.defaultTraining) {
        self.training = training
    }

    public init() { self.init(training: Self.defaultTraining) }

    public static var familyName: String { "inception" }
    public static var readsImages: Bool { true }
    /// Inference runs 256 images at a time: a convolutional network's activations are large.
    public static var inferenceChunk: Int { 256 }
    /// The smallest image side: two 2x2 max-pools must leave at least one pixel.
    public static let minimumSide = 4

    /// Throws unless both sides are at least `minimumSide`.
    public func validate(input: InputShape) throws {
        guard input.height >= Self.minimumSide, input.width >= Self.minimumSide else {
            throw ModelError.shapeMismatch(family: Self.familyName, expected: "images of at least \(Self.minimumSide)x\(Self.minimumSide) "
                                           + "pixels", actual: [input.height, input.width, input.channels])
        }
    }

    /// The network for `input` images and `classCount` classes, weights drawn from the training seed.
    public func makeLayers(input: InputShape, classCount: Int) -> [Layer] {
        var generator = SeededGenerator(seed: training.seed)
        let firstBlock = InceptionBlock(32, b1x1: 16, b3x3Reduce: 16, b3x3: 24, b5x5Reduce: 8, b5x5: 12,
                                        poolProjection: 12, using: &generator)
        let secondBlock = InceptionBlock(firstBlock.outputChannels, b1x1: 32, b3x3Reduce: 32, b3x3: 48,
                                         b5x5Reduce: 8, b5x5: 24, poolProjection: 24, using: &generator)
        return [
            Reshape(input.dimensions),
            convolution(input.channels, firstBlock.inputChannels, kernel: 3, using: &generator),
            MaxPool2D(size: 2),
            firstBlock,
            MaxPool2D(size: 2),
            secondBlock,
            GlobalAvgPool(),
            Linear(secondBlock.outputChannels, classCount, using: &generator),
        ]
    }

    /// Model files name the tensors by what they are: `stem.conv.weight`, `block1.branch3x3.1.bn.running_mean`,
    /// `classifier.weight` (files of the first format, numbered "1.0.weight", "3.12.weight", still load).
    public static var tensorNaming: TensorNaming {
        TensorNaming(layerNames: ["input", "stem", "pool1", "block1", "pool2", "block2", "pool", "classifier"]) { layer in
            if let block = layer as? InceptionBlock {
                return zip(["branch1x1", "branch3x3", "branch5x5", "branchPool"], block.branches.branches).map { ($0, $1) }
            }
            if let unit = layer as? Sequential, unit.layers.count == 3, unit.layers[0] is Conv2D,
               unit.layers[1] is BatchNorm, unit.layers[2] is ReLU {
                return zip(["conv", "bn", "relu"], unit.layers).map { ($0, $1) }
            }
            return nil
        }
    }

    /// The blocks' values (which depend on neither), the stem's `3·3·channels·32` weights and the classifier's
    /// `128 · classes + classes`.
    public func storedValueCount(input: InputShape, classCount: Int) -> Int? {
        let stemWidth = 32, blockOutput = 128
        let fixed = Self.valueCountForOneChannelAndClass - 9 * stemWidth - (blockOutput + 1)
        return CheckedCount.sum([fixed, CheckedCount.product(9 * stemWidth, input.channels),
                                 CheckedCount.product(blockOutput + 1, classCount)])
    }

    /// Every value of the network for one channel and one class, counted once from the layers themselves.
    private static let valueCountForOneChannelAndClass: Int = {
        let network = Sequential(InceptionConfiguration().makeLayers(
            input: InputShape(height: minimumSide, width: minimumSide, channels: 1), classCount: 1))
        return (network.parameters + network.buffers).reduce(0) { $0 + $1.value.count }
    }()

    public var summary: String {
        "InceptionNet (Szegedy et al. 2014, small), \(training.optimizer.kind) lr "
            + "\(training.optimizer.effectiveLearningRate), \(training.schedule) schedule, batch "
            + "\(training.batchSize), \(training.epochs) epochs"
            + (training.augmentation.map { ", augmented: \($0)" } ?? "")
    }
}
