import ZooTensor

/// Machine learning as an API, as the lecture puts it: three methods, and you need not know how they work inside.
///
/// - `fit(inputs, targets)` **teaches**: it looks at examples with known answers and makes the model better.
///   This is where the learning happens, and it may take seconds or hours.
/// - `forward(inputs)` **runs in production**: it takes new inputs and says what the model thinks, as one row of
///   class scores or probabilities per input. It never changes the model.
/// - `loss(outputs, targets)` **scores** how good those outputs are against the right answers: lower is better.
///   An untrained model has a high loss; fitting lowers it.
///
/// Every family in the zoo — a decision tree, linear and logistic regression, the perceptron, an MLP, an
/// Inception network — implements these same three methods, so they can be compared side by side.
///
/// Inputs are `[N, features]` Float tensors (for images: pixels scaled to 0...1, `[N, 784]` for MNIST; a family
/// that reads images also takes `[N, height, width, channels]`),
/// targets are class indices in `0..<classCount`. A family that thinks in other units converts inside: the
/// decision tree, for example, turns 0...1 pixels back into their exact 0...255 bytes.
public protocol Model: AnyObject, CustomStringConvertible {
    /// Short family name, as used on the command line ("tree", "mlp", ...).
    var family: String { get }

    /// Learns from `inputs` `[N, features]` and their class indices `targets` (`N` values in `0..<classCount`).
    /// Throws when the data cannot be learned from (wrong shapes, NaN loss, bad hyperparameters). `quiet`
    /// suppresses the progress bar of families that draw one: a property of this run, not of the model.
    func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws

    /// Class scores for `inputs`: `[N, features] -> [N, classCount]`. The largest score is the prediction;
    /// families that can, return probabilities (each row sums to 1). Throws `ModelError.notFitted` before `fit`,
    /// `ModelError.shapeMismatch` for inputs of another width than the model was fitted on, and
    /// `ModelError.nonFiniteOutputs` when the model's outputs are NaN or infinite (a damaged model).
    func forward(_ inputs: Tensor) throws -> Tensor

    /// How wrong `outputs` (from `forward`) are for the true `targets`: lower is better.
    func loss(_ outputs: Tensor, _ targets: [Int]) -> Float

    /// Number of learned values (weights and biases, or tree nodes), for comparing model sizes.
    var parameterCount: Int { get }
}

extension Model {
    /// `fit(inputs, targets, quiet: false)`: with a progress bar where the family draws one.
    public func fit(_ inputs: Tensor, _ targets: [Int]) throws {
        try fit(inputs, targets, quiet: false)
    }

    /// The predicted class of each input: the argmax of `forward`. `[N, features] -> N` class indices.
    public func predict(_ inputs: Tensor) throws -> [Int] {
        try forward(inputs).argmax(axis: 1)
    }
}

/// Checks what every `forward` needs before it touches the model: a fitted model (`fitted`), and 2-D inputs
/// `[N, featureCount]`. Throws `ModelError.notFitted` or `ModelError.shapeMismatch`, naming `family`.
public func validateInferenceInputs(_ inputs: Tensor, featureCount: Int?, family: String) throws {
    guard let featureCount else { throw ModelError.notFitted(family: family) }
    guard inputs.rank == 2, inputs.shape[1] == featureCount else {
        throw ModelError.shapeMismatch(family: family, expected: "[N, \(featureCount)]", actual: inputs.shape)
    }
}

/// `outputs`, after checking that every value is finite; throws `ModelError.nonFiniteOutputs` naming `family`
/// otherwise, so a damaged model never turns NaN into an answer.
public func finiteOutputs(_ outputs: Tensor, family: String) throws -> Tensor {
    guard outputs.isFinite else { throw ModelError.nonFiniteOutputs(family: family) }
    return outputs
}

/// A model was asked to do something its state does not allow (predict before fit, wrong input width, ...).
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// `forward`/`predict` before `fit`.
    case notFitted(family: String)
    /// The inputs do not have the shape the `family`'s model needs: `expected` says what it reads ("[N, 784]").
    case shapeMismatch(family: String, expected: String, actual: [Int])
    /// A hyperparameter is out of range.
    case invalidHyperparameter(name: String, value: String, reason: String)
    /// Fitting needs at least one sample, and as many targets as inputs.
    case badTrainingData(reason: String)
    /// The model's outputs hold NaN or infinity: its weights are damaged or overflow on these inputs.
    case nonFiniteOutputs(family: String)

    public var description: String {
        switch self {
        case let .notFitted(family):
            "the \(family) model is not fitted yet: call fit (or load a trained model) first"
        case let .shapeMismatch(family, expected, actual):
            "\(family) expects \(expected), but the inputs have shape \(actual)"
        case let .invalidHyperparameter(name, value, reason):
            "invalid \(name) \(value): \(reason)"
        case let .badTrainingData(reason):
            "cannot fit: \(reason)"
        case let .nonFiniteOutputs(family):
            "the \(family) model's outputs are not finite (NaN or infinity): its weights are damaged or too large "
                + "for these inputs"
        }
    }
}

/// Checks what every `fit` of `family` needs: a 2-D `[N, features]` input with N ≥ 1, N targets, each in
/// `0..<classCount`. A shape error names `family`.
public func validateTrainingData(_ inputs: Tensor, _ targets: [Int], classCount: Int? = nil,
                                 family: String) throws {
    guard inputs.rank == 2 else {
        throw ModelError.shapeMismatch(family: family, expected: "[N, features]", actual: inputs.shape)
    }
    guard inputs.shape[0] > 0 else { throw ModelError.badTrainingData(reason: "no samples") }
    guard inputs.shape[0] == targets.count else {
        throw ModelError.badTrainingData(reason: "\(inputs.shape[0]) inputs but \(targets.count) targets")
    }
    if let classCount, let bad = targets.first(where: { $0 < 0 || $0 >= classCount }) {
        throw ModelError.badTrainingData(reason: "target \(bad) is outside 0..<\(classCount)")
    }
    guard inputs.isFinite else { throw ModelError.badTrainingData(reason: "inputs contain NaN or infinity") }
}
