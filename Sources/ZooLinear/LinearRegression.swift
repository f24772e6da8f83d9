// Linear regression by least squares (Legendre 1805, Gauss 1809), with a small ridge term (Hoerl & Kennard 1970).
//
// Two uses: plain regression of real-valued targets (`fit(x:y:)`, `predict(x:)`: the lecture's chicken-feed
// example), and classification as a `Model` by regressing one-hot targets and taking the argmax of the fitted
// values (least-squares classification, as in Hastie, Tibshirani & Friedman, "Elements of Statistical Learning"
// §4.2). Solved in closed form; see NormalEquations.swift for how and where it deviates from the textbook.

import ZooCore
import ZooTensor

/// A linear model `y ≈ x · coefficients + intercept` fitted by least squares: `[N, d] -> [N, k]`.
///
/// As a classifier (`Model`) it regresses one-hot targets: `forward` returns the fitted values `[N, classes]`
/// (not probabilities: they may be negative or above 1), `predict` their argmax, and `loss` their mean squared
/// error against the one-hot targets.
public final class LinearRegression: Model {
    /// Hyperparameters.
    public struct Configuration: Sendable, Equatable {
        /// Ridge strength λ, relative to each feature's spread: the penalty is λ·Σⱼ sⱼ²‖wⱼ‖², sⱼ² being feature
        /// j's sum of squared deviations (a ridge on standardised features, so the units of the columns do not
        /// matter). Default 1e-3: enough to make MNIST's always-blank and collinear pixels solvable in single
        /// precision, too little to bias a well-posed fit. 0 is plain least squares (throws on a singular system).
        public var ridge: Float

        public init(ridge: Float = 1e-3) {
            self.ridge = ridge
        }
    }

    /// The hyperparameters this model was made with.
    public let configuration: Configuration
    /// Fitted weights `[features, outputs]` (nil before `fit`): how much each output moves per unit of each input.
    public private(set) var coefficients: Tensor?
    /// Fitted intercept `[outputs]` (nil before `fit`): the output for an all-zero input.
    public private(set) var intercept: Tensor?

    /// An unfitted model; `fit` or `fit(x:y:)` learns the coefficients.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var family: String { "linear" }

    public var parameterCount: Int { (coefficients?.count ?? 0) + (intercept?.count ?? 0) }

    public var description: String {
        guard let coefficients else { return "LinearRegression(unfitted, ridge \(configuration.ridge))" }
        return "LinearRegression(\(coefficients.rows) -> \(coefficients.columns), least squares, ridge "
            + "\(configuration.ridge); \(parameterCount) parameters)"
    }

    // MARK: Regression

    /// Fits real-valued targets: `x` `[N, d]`, `y` `[N, k]`. Throws on bad shapes, non-finite values, or a
    /// system the ridge cannot make solvable (`LinearRegressionError.singular`).
    public func fit(x: Tensor, y: Tensor) throws {
        guard x.rank == 2, x.shape[1] > 0 else {
            throw ModelError.shapeMismatch(expected: "[N, features] with at least one feature", actual: x.shape)
        }
        guard y.rank == 2, y.shape[1] > 0 else {
            throw ModelError.shapeMismatch(expected: "[N, outputs] with at least one output", actual: y.shape)
        }
        guard x.rows > 0 else { throw ModelError.badTrainingData(reason: "no samples") }
        guard x.rows == y.rows else {
            throw ModelError.badTrainingData(reason: "\(x.rows) inputs but \(y.rows) targets")
        }
        guard x.isFinite && y.isFinite else {
            throw ModelError.badTrainingData(reason: "inputs or targets contain NaN or infinity")
        }
        guard configuration.ridge >= 0 && configuration.ridge.isFinite else {
            throw ModelError.invalidHyperparameter(name: "ridge", value: "\(configuration.ridge)",
                                                   reason: "must be a finite number ≥ 0")
        }
        let solution = try solveNormalEquations(x: x, y: y, ridge: configuration.ridge)
        coefficients = solution.coefficients
        intercept = solution.intercept
    }

    /// Fitted values `[N, d] -> [N, k]`. Stops if the model is unfitted or `x` has the wrong width.
    public func predict(x: Tensor) -> Tensor {
        guard let coefficients, let intercept else {
            preconditionFailure(ModelError.notFitted(family: family).description)
        }
        precondition(x.rank == 2 && x.columns == coefficients.rows,
                     "LinearRegression: inputs \(x.shape) do not fit coefficients \(coefficients.shape)")
        return Tensor.matmul(x, coefficients).addingToEachRow(intercept)
    }

    /// Root mean squared error of the fitted values for `x` `[N, d]` against `y` `[N, k]`, in `y`'s units.
    public func rootMeanSquaredError(x: Tensor, y: Tensor) -> Float {
        ZooCore.rootMeanSquaredError(predict(x: x), y)
    }

    // MARK: Classification (Model)

    /// Regresses the one-hot encoding of `targets` (classes `0...max(targets)`) on `inputs` `[N, features]`.
    public func fit(_ inputs: Tensor, _ targets: [Int]) throws {
        try validateTrainingData(inputs, targets)
        guard let largest = targets.max(), targets.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.badTrainingData(reason: "class indices must be ≥ 0")
        }
        try fit(x: inputs, y: oneHot(targets, classCount: largest + 1))
    }

    /// Fitted one-hot values `[N, features] -> [N, classes]`; the argmax is the predicted class.
    public func forward(_ inputs: Tensor) -> Tensor {
        predict(x: inputs)
    }

    /// Mean squared error of `outputs` `[N, classes]` against the one-hot `targets`, averaged over all N·classes
    /// values (the quantity least squares minimises, up to the ridge term; its square root is the RMSE).
    public func loss(_ outputs: Tensor, _ targets: [Int]) -> Float {
        precondition(outputs.rank == 2 && outputs.rows == targets.count,
                     "LinearRegression.loss: outputs \(outputs.shape) for \(targets.count) targets")
        let error = ZooCore.rootMeanSquaredError(outputs, oneHot(targets, classCount: outputs.columns))
        return error * error
    }
}

/// Errors of the least-squares solve.
public enum LinearRegressionError: Error, CustomStringConvertible, Equatable {
    /// The normal equations are singular or too ill-conditioned for single precision at this ridge.
    case singular(feature: Int, constant: Bool, ridge: Float)
    /// The solution came out NaN or infinite (values too large for Float).
    case notFinite

    public var description: String {
        switch self {
        case let .singular(feature, constant, ridge):
            "least squares has no stable solution: feature \(feature) (0-based) "
                + (constant ? "is constant" : "is (nearly) a linear combination of the features before it")
                + " and the ridge \(ridge) is too small; remove that feature or use a ridge of about 1e-3"
        case .notFinite:
            "least squares gave NaN or infinite coefficients: rescale the inputs and targets"
        }
    }
}

/// `[N] -> [N, classCount]`: 1 at each target's class, 0 elsewhere.
func oneHot(_ targets: [Int], classCount: Int) -> Tensor {
    Tensor(shape: [targets.count, classCount]) { out in
        out.update(repeating: 0)
        for (row, target) in targets.enumerated() {
            precondition(target >= 0 && target < classCount, "oneHot: target \(target) outside 0..<\(classCount)")
            out[row * classCount + target] = 1
        }
    }
}
