import ZooCore
import ZooNN
import ZooTree

/// Every option a family may take, in one struct shared by `zoo train`, `zoo compare` and the tests, with the
/// same defaults as the command line. Each family reads the options that apply to it and ignores the rest.
public struct TrainingOptions: Sendable, Equatable, Codable {
    /// Seed of every random step: initial weights, shuffling, sampling (default 0).
    public var seed: UInt64 = 0
    /// Passes over the training data; nil (default) means the family's own default (logistic 20, MLP 10,
    /// Inception 6).
    public var epochs: Int?
    /// Optimizer for gradient-trained families (default Adam).
    public var optimizer: OptimizerKind = .adam
    /// Step size; nil (default) means the optimizer's default.
    public var learningRate: Float?
    /// L2 penalty added to gradients (default 0).
    public var weightDecay: Float = 0
    /// Mini-batch size; nil (default) means the family's own default (128; Inception 64).
    public var batchSize: Int?
    /// MLP hidden layer widths, input side first (default `[256]`).
    public var hiddenSizes: [Int] = [256]
    /// MLP hidden activation (default ReLU).
    public var activation: Activation = .relu
    /// MLP: a `BatchNorm` after each hidden activation (default false).
    public var batchNorm: Bool = false
    /// Fraction of the training data held out to monitor validation metrics (default 0).
    public var validationFraction: Double = 0
    /// Early-stopping patience in epochs (default nil: train every epoch).
    public var patience: Int?
    /// Learning-rate schedule; nil (default) means the family's own (MLP and Inception cosine, logistic
    /// constant).
    public var schedule: LearningRateSchedule?
    /// Decision tree: deepest level a node may sit at (default nil: grow until the leaves are pure).
    public var maxDepth: Int?
    /// Decision tree: impurity the splits minimise (default Gini).
    public var criterion: SplitCriterion = .gini
    /// No progress bar (default false).
    public var quiet: Bool = false
    /// Perceptron: predict with the weights averaged over training (Freund & Schapire 1999) (default false).
    public var averaged: Bool = false
    /// Linear: least squares by gradient descent through the Trainer instead of the closed form (default false).
    public var gradientDescent: Bool = false

    /// Options with every default.
    public init() {}
}
