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

/// The Inception family: a small convolutional network with two Inception modules, 34,442 parameters on MNIST
/// at the default width (133,450 at `width` 2, the shipped model's).
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
    /// Every convolution's channels times this (default 1: the 34,442-parameter network; 2 has 4x the
    /// parameters and trains about 2.3x slower per image, measured).
    public var width: Int

    /// The widest network accepted.
    public static let maximumWidth = 8

    /// Adam with learning rate 0.01 annealed to zero by a cosine schedule (big steps first, fine ones at the end,
    /// which the last epochs' accuracy needs), batch size 64, 6 epochs, seed 0.
    public static let defaultTraining = TrainingConfiguration(
        optimizer: OptimizerConfiguration(kind: .adam, learningRate: 0.01), batchSize: 64, epochs: 6,
        schedule: .cosine)

    public init(training: TrainingConfiguration = InceptionConfiguration.defaultTraining, width: Int = 1) {
        self.training = training
        self.width = width
    }

    private enum CodingKeys: String, CodingKey { case training, width }

    /// Decodes a configuration; one saved before the width existed has width 1.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        training = try container.decode(TrainingConfiguration.self, forKey: .training)
        width = try container.decodeIfPresent(Int.self, forKey: .width) ?? 1
    }

    /// Width 1 is not written, so files of the default network read as they did before the width existed.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(training, forKey: .training)
        if width != 1 { try container.encode(width, forKey: .width) }
    }

    /// Throws when the width is outside 1...`maximumWidth`.
    public func validate() throws {
        guard (1...Self.maximumWidth).contains(width) else {
            throw ModelError.invalidHyperparameter(name: "inception width", value: "\(width)",
                                                   reason: "must be in 1...\(Self.maximumWidth)")
        }
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
        let w = width
        let firstBlock = InceptionBlock(32 * w, b1x1: 16 * w, b3x3Reduce: 16 * w, b3x3: 24 * w, b5x5Reduce: 8 * w,
                                        b5x5: 12 * w, poolProjection: 12 * w, using: &generator)
        let secondBlock = InceptionBlock(firstBlock.outputChannels, b1x1: 32 * w, b3x3Reduce: 32 * w,
                                         b3x3: 48 * w, b5x5Reduce: 8 * w, b5x5: 24 * w, poolProjection: 24 * w,
                                         using: &generator)
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

    /// The blocks' values (which depend on neither), the stem's `3·3·channels·32·width` weights and the
    /// classifier's `128·width · classes + classes`; nil for a width out of range.
    public func storedValueCount(input: InputShape, classCount: Int) -> Int? {
        guard (1...Self.maximumWidth).contains(width) else { return nil }
        let stemWidth = 32 * width, blockOutput = 128 * width
        let fixed = Self.valueCountForOneChannelAndClass(width: width) - 9 * stemWidth - (blockOutput + 1)
        return CheckedCount.sum([fixed, CheckedCount.product(9 * stemWidth, input.channels),
                                 CheckedCount.product(blockOutput + 1, classCount)])
    }

    /// Every value of the network of `width` for one channel and one class, counted from the layers themselves.
    private static func valueCountForOneChannelAndClass(width: Int) -> Int {
        let network = Sequential(InceptionConfiguration(width: width).makeLayers(
            input: InputShape(height: minimumSide, width: minimumSide, channels: 1), classCount: 1))
        return (network.parameters + network.buffers).reduce(0) { $0 + $1.value.count }
    }

    public var summary: String {
        "InceptionNet (Szegedy et al. 2014, small\(width == 1 ? "" : ", width \(width)")), \(training.optimizer.kind) lr "
            + "\(training.optimizer.effectiveLearningRate), \(training.schedule) schedule, batch "
            + "\(training.batchSize), \(training.epochs) epochs"
            + (training.augmentation.map { ", augmented: \($0)" } ?? "")
    }
}
