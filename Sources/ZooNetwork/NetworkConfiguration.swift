import ZooCore
import ZooNN
import ZooTensor

/// The shape of one input sample: `height x width x channels` for images (NHWC), `1 x 1 x features` for plain
/// feature vectors. Fitted networks take it from the data; model files record it.
public struct InputShape: Sendable, Equatable, Codable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    /// An image shape; every side must be ≥ 1 (see `validated`).
    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// A flat vector of `features` values.
    public init(features: Int) {
        self.init(height: 1, width: 1, channels: features)
    }

    /// Values per sample, `height · width · channels`; nil when that overflows.
    public var featureCount: Int? {
        let (area, first) = height.multipliedReportingOverflow(by: width)
        let (count, second) = area.multipliedReportingOverflow(by: channels)
        return first || second ? nil : count
    }

    /// `[height, width, channels]`.
    public var dimensions: [Int] { [height, width, channels] }

    public var description: String { "\(height)x\(width)x\(channels)" }

    /// The sample shape of `inputs`: `[N, H, W, C]` images as they are; `[N, features]` rows as square
    /// one-channel images when `images` is true and `features` is a square (784 = 28x28x1), else as flat vectors.
    /// Throws `ModelError.shapeMismatch` naming `family` for any other rank, or non-square rows when `images` is
    /// true.
    public static func of(_ inputs: Tensor, images: Bool, family: String) throws -> InputShape {
        switch inputs.rank {
        case 4:
            return InputShape(height: inputs.shape[1], width: inputs.shape[2], channels: inputs.shape[3])
        case 2 where !images:
            return InputShape(features: inputs.shape[1])
        case 2:
            let features = inputs.shape[1]
            let side = Int(Double(features).squareRoot().rounded())
            guard side * side == features, side > 0 else {
                throw ModelError.shapeMismatch(family: family, expected: "[N, height, width, channels] images, or [N, side²] "
                                               + "square one-channel images", actual: inputs.shape)
            }
            return InputShape(height: side, width: side, channels: 1)
        default:
            throw ModelError.shapeMismatch(family: family, expected: images ? "[N, height, width, channels] or [N, features]"
                                           : "[N, features]", actual: inputs.shape)
        }
    }
}

/// What makes a network family: its hyperparameters, how to build its layers for an input shape and a class
/// count, and how many values its saved state holds. Logistic regression, the MLP and the Inception network are
/// each one such configuration; `NetworkClassifier` does the rest (fit, forward, save, load) the same way for all.
public protocol NetworkConfiguration: Sendable, Equatable, Codable {
    /// The family name used in model files and on the command line ("mlp").
    static var familyName: String { get }
    /// Whether the network reads images (`[N, H, W, C]`, or square one-channel rows), not flat features.
    static var readsImages: Bool { get }
    /// Whether a `Standardize` fitted to the training inputs heads the network (the inputs are then standardised
    /// once before training, not once per batch).
    static var standardizesInputs: Bool { get }
    /// Rows `forward` runs at once, bounding the memory of the activations.
    static var inferenceChunk: Int { get }

    /// The family's defaults.
    init()
    /// Optimizer, batches, epochs, schedule and seed (also the seed of the initial weights).
    var training: TrainingConfiguration { get set }
    /// One line naming the family and its settings, the head of the model's `description`.
    var summary: String { get }
    /// Throws `ModelError.invalidHyperparameter` for an architecture setting out of range (the `Trainer` checks
    /// the training settings).
    func validate() throws
    /// Throws `ModelError.shapeMismatch` when the network cannot read samples of `input` shape (too small an
    /// image for its pooling, say).
    func validate(input: InputShape) throws
    /// The learned layers for samples of `input` shape and `classCount` classes, `[N, features] -> [N, classCount]`
    /// logits, initialised from `training.seed`. Called only with a validated configuration, shape and count.
    func makeLayers(input: InputShape, classCount: Int) -> [Layer]
    /// How many parameter and buffer values those layers (and a `Standardize`, when the family has one) hold, or
    /// nil when the count overflows: a loader compares it with the file before building anything.
    func storedValueCount(input: InputShape, classCount: Int) -> Int?
    /// How model files name the network's tensors (default `.positional`, PyTorch's `nn.Sequential` numbering).
    static var tensorNaming: TensorNaming { get }
}

extension NetworkConfiguration {
    public static var readsImages: Bool { false }
    public static var standardizesInputs: Bool { false }
    public static var inferenceChunk: Int { 4096 }
    public func validate() throws {}
    public func validate(input: InputShape) throws {}
    public static var tensorNaming: TensorNaming { .positional }

    /// This configuration with `overrides` applied to its training settings, e.g.
    /// `MLP.Configuration(hiddenSizes: [128]).overriding(.init(epochs: 5))`.
    public func overriding(_ overrides: TrainingOverrides) -> Self {
        var result = self
        result.training = overrides.applied(to: training)
        return result
    }

    /// This configuration with every random step (initial weights, shuffling) seeded by `seed`.
    public func seeded(_ seed: UInt64) -> Self {
        var result = self
        result.training.seed = seed
        return result
    }

    /// The whole untrained network, `[N, features] -> [N, classCount]` logits: an identity `Standardize` first when
    /// the family standardises, then `makeLayers`.
    public func makeNetwork(input: InputShape, classCount: Int) -> Sequential {
        Sequential((Self.standardizesInputs ? [Standardize()] : []) + makeLayers(input: input, classCount: classCount))
    }
}

/// Sums and products of counts that report overflow as nil: how a configuration counts its stored values.
public enum CheckedCount {
    /// `a · b`, nil on overflow.
    public static func product(_ a: Int, _ b: Int) -> Int? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    /// The sum of `terms`, nil if any is nil or the sum overflows.
    public static func sum(_ terms: [Int?]) -> Int? {
        var total = 0
        for term in terms {
            guard let term else { return nil }
            let (value, overflow) = total.addingReportingOverflow(term)
            if overflow { return nil }
            total = value
        }
        return total
    }
}
