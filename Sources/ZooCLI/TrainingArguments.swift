import ArgumentParser
import ZooCore
import ZooHarness
import ZooNN
import ZooTree

extension ModelKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}
extension SplitCriterion: ExpressibleByArgument {}

extension SampleSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { ["500", "1k", "10k", "60k", "all"] }
}

/// The hyperparameter options every training command shares (`zoo train`, `zoo compare`), turned into the
/// harness's `TrainingOptions`.
struct TrainingArguments: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed of every random step (initial weights, shuffling, sampling).")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Passes over the training data (default: the family's own, logistic 20, mlp 10, inception 6).")
    var epochs: Int?

    @Option(help: "Optimizer of the gradient-trained families.")
    var optimizer: OptimizerKind = .adam

    @Option(parsing: .unconditional, help: "Step size (default: the optimizer's, sgd 0.1, momentum 0.05, adam and rmsprop 0.001).")
    var learningRate: Float?

    @Option(help: "Learning-rate schedule (default: the family's own: mlp and inception cosine, logistic constant).")
    var schedule: LearningRateSchedule?

    @Option(parsing: .unconditional, help: "L2 penalty added to every gradient.")
    var weightDecay: Float = 0

    @Option(parsing: .unconditional, help: "Samples per mini-batch (default: the family's own, 128; Inception 64).")
    var batchSize: Int?

    @Option(help: ArgumentHelp("MLP hidden layer widths, input side first, comma-separated.", valueName: "sizes"))
    var hidden: String = "256"

    @Option(help: "MLP hidden activation.")
    var activation: Activation = .relu

    @Flag(help: "MLP: batch normalisation after each hidden activation.")
    var batchNorm = false

    @Option(parsing: .unconditional, help: "Decision tree: deepest level a node may sit at (default: no limit).")
    var maxDepth: Int?

    @Option(help: "Decision tree: the impurity its splits minimise.")
    var criterion: SplitCriterion = .gini

    @Option(parsing: .unconditional, help: ArgumentHelp("Fraction of the training samples held out to report validation metrics.",
                               valueName: "fraction"))
    var validationSplit: Double = 0

    @Option(parsing: .unconditional, help: "Early stopping: stop after this many epochs without improvement (validation loss, or training loss).")
    var patience: Int?

    @Flag(help: "No progress bar on stderr.")
    var quiet = false

    @Flag(help: "Perceptron: predict with the weights averaged over all training steps.")
    var averaged = false

    @Flag(help: "Linear: fit least squares by gradient descent (optimizer, epochs, batch size apply), not in closed form.")
    var gradientDescent = false

    func validate() throws {
        _ = try hiddenSizes()
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number, e.g. 0.001")
        }
        if !(weightDecay >= 0 && weightDecay.isFinite) { throw ValidationError("--weight-decay must be ≥ 0") }
        if !(validationSplit >= 0 && validationSplit < 1) {
            throw ValidationError("--validation-split must be in 0..<1, e.g. 0.1")
        }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1") }
        if let maxDepth, maxDepth < 1 { throw ValidationError("--max-depth must be at least 1") }
    }

    private func hiddenSizes() throws -> [Int] {
        let sizes = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--hidden '\(hidden)' is not a list of positive widths such as 256 or 256,128")
        }
        return sizes.map { $0! }
    }

    /// The options as the harness takes them.
    func options() throws -> TrainingOptions {
        var options = TrainingOptions()
        options.seed = seed
        options.epochs = epochs
        options.optimizer = optimizer
        options.learningRate = learningRate
        options.schedule = schedule
        options.weightDecay = weightDecay
        options.batchSize = batchSize
        options.hiddenSizes = try hiddenSizes()
        options.activation = activation
        options.batchNorm = batchNorm
        options.validationFraction = validationSplit
        options.patience = patience
        options.maxDepth = maxDepth
        options.criterion = criterion
        options.quiet = quiet
        options.averaged = averaged
        options.gradientDescent = gradientDescent
        return options
    }
}
