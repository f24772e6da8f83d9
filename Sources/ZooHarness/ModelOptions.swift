import ZooCore
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
    /// Decision tree: deepest level a node may sit at.
    public var maxDepth: Int?
    /// Decision tree: impurity the splits minimise.
    public var criterion: SplitCriterion?
    /// Perceptron: predict with the weights averaged over training (Freund & Schapire 1999).
    public var averaged: Bool?
    /// Linear: least squares by gradient descent through the Trainer instead of the closed form.
    public var gradientDescent: Bool?

    /// Options that change nothing.
    public init() {}

    /// `defaults` with the training overrides and the seed applied.
    func training(_ defaults: TrainingConfiguration) -> TrainingConfiguration {
        var result = training.applied(to: defaults)
        result.seed = seed
        return result
    }
}
