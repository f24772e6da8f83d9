import ZooCore
import ZooData
import ZooNN
import ZooTree

/// What a user may change about a family, each nil to keep the family's own default: the training overrides
/// every gradient-trained family takes, the few knobs of single families, and the seed of every random step.
/// `ModelKind.makeModel` applies the ones that concern its family to that family's defaults and ignores the rest.
public struct ModelOptions: Sendable, Equatable, Codable {
    /// Seed of every random step: initial weights, shuffling, sampling (default 0).
    public var seed: UInt64 = 0
    /// Optimizer, learning rate, batch size, epochs, split, patience and schedule of the gradient-trained
    /// families (epochs and learning rate also reach the perceptron).
    public var training = TrainingOverrides()
    /// MLP hidden layer widths, input side first.
    public var hiddenSizes: [Int]?
    /// MLP hidden activation.
    public var activation: Activation?
    /// MLP: a `BatchNorm` after each hidden activation.
    public var batchNorm: Bool?
    /// Inception: every convolution's channels times this (`InceptionConfiguration.width`).
    public var inceptionWidth: Int?
    /// Decision tree: deepest level a node may sit at.
    public var maxDepth: Int?
    /// Decision tree: impurity the splits minimise.
    public var criterion: SplitCriterion?
    /// Perceptron: predict with the weights averaged over training (Freund & Schapire 1999).
    public var averaged: Bool?
    /// Linear: least squares by gradient descent through the Trainer instead of the closed form.
    public var gradientDescent: Bool?
    /// Share of the training sample held out to fit the calibration, 0 for none (default
    /// `CalibrationHoldout.defaultFraction`). Not a family's knob: the harness's run reads it
    /// (`CalibrationHoldout`), and a comparison's configuration records it on its own.
    public var calibrationSplit: Double?

    /// Options that change nothing.
    public init() {}

    /// `defaults` with the training overrides and the seed applied.
    func training(_ defaults: TrainingConfiguration) -> TrainingConfiguration {
        var result = training.applied(to: defaults)
        result.seed = seed
        return result
    }
}

/// The calibration every fit a user runs gets (`zoo train`, `zoo compare`): a seeded stratified share of the
/// training sample is held out, the model fits the rest, and its calibration (`Calibration.fitted`: temperature
/// scaling, or the tree's leaf smoothing) is fitted on the share held out. The one place that reads
/// `ModelOptions.calibrationSplit`.
public struct CalibrationHoldout: Sendable, Equatable {
    /// A tenth of the sample. Measured on MNIST (README, "Calibrated in every fit"): it costs the tree, logistic
    /// regression and the MLP 0.2–0.3 points of test accuracy at 10k samples and 0.4–1.7 at 1k, and cuts their
    /// test ECE 2–28x (the tree's log-loss from 11.4 to 1.4).
    public static let defaultFraction = 0.1

    /// The share held out, in `0..<1`; 0 holds nothing out and leaves the model's own probabilities.
    public let fraction: Double

    /// Nothing held out: the model fits the whole sample and keeps its own probabilities.
    public static let none = CalibrationHoldout(checked: 0)

    private init(checked fraction: Double) {
        self.fraction = fraction
    }

    /// The holdout of `options` (`defaultFraction` when unset). Throws `ModelError.invalidHyperparameter`
    /// for a share outside `0..<1`.
    public init(_ options: ModelOptions) throws {
        let fraction = options.calibrationSplit ?? Self.defaultFraction
        guard fraction.isFinite, fraction >= 0, fraction < 1 else {
            throw ModelError.invalidHyperparameter(
                name: "calibration split", value: "\(fraction)",
                reason: "is the share of the training sample held out to calibrate on: at least 0 (none), below 1")
        }
        self.init(checked: fraction)
    }

    /// The seed the share of a sample is drawn with: the run's `seed` for a sample that seed drew, and 0 for the
    /// whole training set, which no seed drew. So at the full size every seed holds out the same share, and a
    /// family with no random step of its own (the tree, least squares in closed form) fits the same data for
    /// every seed: a comparison fits it once.
    public static func drawingSeed(_ seed: UInt64, wholeTrainingSet: Bool) -> UInt64 {
        wholeTrainingSet ? 0 : seed
    }

    /// `sample` split into the part the model fits and the part its calibration is fitted on: a stratified
    /// draw seeded by `seed` (each class gives its share, rounded, and keeps at least one sample). No part held
    /// out (nil) when `fraction` is 0 or the sample is too small to give any class's share.
    public func split(_ sample: Dataset, seed: UInt64) throws -> (fit: Dataset, heldOut: Dataset?) {
        guard let parts = try positions(in: sample, seed: seed) else { return (sample, nil) }
        return (sample.subset(parts.fit, name: sample.name + "/train"),
                sample.subset(parts.heldOut, name: sample.name + "/test"))
    }

    /// The positions in `sample` of `split`'s two parts, each ascending; nil when nothing is held out.
    public func positions(in sample: Dataset, seed: UInt64) throws -> (fit: [Int], heldOut: [Int])? {
        guard fraction > 0 else { return nil }
        do {
            let parts = try sample.stratifiedSplitIndices(testFraction: fraction, seed: seed)
            return (parts.train, parts.test)
        } catch SplitError.emptyTest {
            return nil
        }
    }
}
