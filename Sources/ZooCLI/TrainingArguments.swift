import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooHarness
import ZooNN
import ZooTree

extension ModelKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}
extension SplitCriterion: ExpressibleByArgument {}

/// Any count parses, so `--help` lists no closed set of values (the option's help gives examples).
extension SampleSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// The hyperparameter options every training command shares (`zoo train`, `zoo compare`), turned into the
/// harness's `ModelOptions`.
struct TrainingArguments: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed of every random step (initial weights, shuffling, sampling).")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Passes over the training data (default: the family's own, logistic 20, mlp 10, inception 6).")
    var epochs: Int?

    @Option(help: "Optimizer of the gradient-trained families (default: the family's own, adam).")
    var optimizer: OptimizerKind?

    @Option(parsing: .unconditional, help: "Step size (default: the family's own, mlp 0.004; else the optimizer's, sgd 0.1, momentum 0.05, adam and rmsprop 0.001).")
    var learningRate: Float?

    @Option(help: "Learning-rate schedule (default: the family's own: mlp warmup-cosine, inception cosine, logistic constant).")
    var schedule: LearningRateSchedule?

    @Option(parsing: .unconditional, help: "L2 penalty added to every gradient (default: 0).")
    var weightDecay: Float?

    @Option(parsing: .unconditional, help: "Samples per mini-batch (default: the family's own, 128; Inception 64).")
    var batchSize: Int?

    @Option(help: ArgumentHelp("MLP hidden layer widths, input side first, comma-separated (default: 256).",
                               valueName: "sizes"))
    var hidden: String?

    @Option(help: "MLP hidden activation (default: relu).")
    var activation: Activation?

    @Flag(help: "MLP: batch normalisation after each hidden activation.")
    var batchNorm = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Inception: every convolution's channels times this, 1-8 "
                               + "(default: 1; 2 has 4x the parameters and trains about 2.3x slower).", valueName: "n"))
    var inceptionWidth: Int?

    @Option(parsing: .unconditional, help: "Decision tree: deepest level a node may sit at (default: no limit).")
    var maxDepth: Int?

    @Option(help: "Decision tree: the impurity its splits minimise (default: gini).")
    var criterion: SplitCriterion?

    @Option(parsing: .unconditional, help: ArgumentHelp("Fraction of the training samples held out to report validation metrics "
                               + "(default: 0, none).", valueName: "fraction"))
    var validationSplit: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Fraction of the training samples held out (stratified, seeded by --seed) to "
                               + "fit the calibration on: a temperature, or the tree's leaf smoothing, saved with the model; "
                               + "0 for none (default: 0.1).", valueName: "fraction"))
    var calibrationSplit: Double?

    @Option(parsing: .unconditional, help: "Early stopping: stop after this many epochs without improvement (validation loss, or training loss).")
    var patience: Int?

    @Flag(help: ArgumentHelp("Gradient-trained families: distort the training images afresh every epoch (shift ±2 px, "
                             + "rotation ±10°, scale ±10%, elastic, stroke thickness), seeded by --seed."))
    var augment = false

    @Option(parsing: .unconditional, help: ArgumentHelp("With --augment: strength α of the elastic distortion in pixels "
                               + "(default 34; 0 keeps the affine map and stroke thickness only).", valueName: "alpha"))
    var augmentElastic: Float?

    @Flag(help: "No progress bar on stderr.")
    var quiet = false

    @Flag(help: "Perceptron: predict with the weights averaged over all training steps.")
    var averaged = false

    @Flag(help: "Linear: fit least squares by gradient descent (optimizer, epochs, batch size apply), not in closed form.")
    var gradientDescent = false

    /// Only what the parser cannot check; the ranges are the library's to check, once.
    func validate() throws {
        _ = try hiddenSizes()
        if augmentElastic != nil && !augment {
            throw ValidationError("--augment-elastic sets the strength of --augment's elastic distortion; add --augment")
        }
    }

    private func hiddenSizes() throws -> [Int]? {
        guard let hidden else { return nil }
        let sizes = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--hidden '\(hidden)' is not a list of positive widths such as 256 or 256,128")
        }
        return sizes.map { $0! }
    }

    /// What `--augment` distorts with: the standard limits, the elastic strength as given.
    private var augmentation: Augmentation {
        var augmentation = Augmentation.standard
        if let augmentElastic { augmentation.elasticAlpha = augmentElastic }
        return augmentation
    }

    /// The options as the harness takes them: only what the user set overrides a family's defaults.
    func options() throws -> ModelOptions {
        var options = ModelOptions()
        options.seed = seed
        options.training = TrainingOverrides(
            optimizer: optimizer, learningRate: learningRate, weightDecay: weightDecay, batchSize: batchSize,
            epochs: epochs, validationFraction: validationSplit, patience: patience, schedule: schedule,
            augmentation: augment ? augmentation : nil)
        options.hiddenSizes = try hiddenSizes()
        options.activation = activation
        options.batchNorm = batchNorm ? true : nil
        options.inceptionWidth = inceptionWidth
        options.maxDepth = maxDepth
        options.criterion = criterion
        options.averaged = averaged ? true : nil
        options.gradientDescent = gradientDescent ? true : nil
        options.calibrationSplit = calibrationSplit
        return options
    }
}

/// Where this executable looks for the pretrained zoo: `$ZOO_MODELS`, `Zoo/` here, `Zoo/` near the executable.
/// The executable reads its environment; the library only searches the folders it is given.
func zooSearchFolders() -> [String] {
    SavedModels.searchFolders(fromEnvironment: ProcessInfo.processInfo.environment["ZOO_MODELS"],
                              currentDirectory: FileManager.default.currentDirectoryPath,
                              executablePath: CommandLine.arguments.first)
}
