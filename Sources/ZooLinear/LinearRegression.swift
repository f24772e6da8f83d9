// Linear regression by least squares (Legendre 1805, Gauss 1809), with a small ridge term (Hoerl & Kennard 1970).
//
// Two uses: plain regression of real-valued targets (`fit(x:y:)`, `predict(x:)`: the lecture's chicken-feed
// example), and classification as a `Model` by regressing one-hot targets and taking the argmax of the fitted
// values (least-squares classification, as in Hastie, Tibshirani & Friedman, "Elements of Statistical Learning"
// §4.2). Solved in closed form (see NormalEquations.swift for how and where it deviates from the textbook) or,
// for classes, by gradient descent on the same loss through the Trainer: a one-layer network, `Linear(d, k)`.

import ZooCore
import ZooData
import ZooNN
import ZooTensor

/// A linear model `y ≈ x · coefficients + intercept` fitted by least squares: `[N, d] -> [N, k]`.
///
/// As a classifier (`Model`) it regresses one-hot targets: `forward` returns the fitted values `[N, classes]`
/// (not probabilities: they may be negative or above 1), `predict` their argmax, and `loss` their mean squared
/// error against the one-hot targets.
public final class LinearRegression: Model {
    /// Hyperparameters.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Ridge strength λ, relative to each feature's spread: the penalty is λ·Σⱼ sⱼ²‖wⱼ‖², sⱼ² being feature
        /// j's sum of squared deviations (a ridge on standardised features, so the units of the columns do not
        /// matter). Default 1e-3: enough to make MNIST's always-blank and collinear pixels solvable in single
        /// precision, too little to bias a well-posed fit. 0 is plain least squares (throws on a singular system).
        /// Used by the normal equations only; gradient descent has `weightDecay` in its optimizer settings.
        public var ridge: Float
        /// How the least-squares problem is solved (default: the normal equations, in closed form).
        public var solver: Solver

        public init(ridge: Float = 1e-3, solver: Solver = .normalEquations) {
            self.ridge = ridge
            self.solver = solver
        }

        /// Throws `ModelError.invalidHyperparameter` for a negative or non-finite ridge, or gradient-descent
        /// settings out of range.
        public func validate() throws {
            guard ridge >= 0 && ridge.isFinite else {
                throw ModelError.invalidHyperparameter(name: "ridge", value: "\(ridge)",
                                                       reason: "must be a finite number ≥ 0")
            }
            if case let .gradientDescent(training) = solver { try training.validate() }
        }
    }

    /// How least squares is solved.
    public enum Solver: Sendable, Equatable, Codable {
        /// Closed form: the normal equations `(XᵀX + ridge) w = Xᵀy`, by Cholesky (LAPACK `sposv`). Exact, one pass
        /// over the data, cost O(N·d² + d³).
        case normalEquations
        /// Mini-batch gradient descent on the mean squared error from zero weights, by the `Trainer` with these
        /// settings (optimizer, batch size, epochs, seed). For class labels (`fit(_:_:)`) only: it approaches the
        /// closed-form answer as it converges.
        case gradientDescent(TrainingConfiguration)
    }

    /// The hyperparameters this model was made with.
    public let configuration: Configuration
    /// Fitted weights `[features, outputs]` (nil before `fit`): how much each output moves per unit of each input.
    public internal(set) var coefficients: Tensor?
    /// Fitted intercept `[outputs]` (nil before `fit`): the output for an all-zero input.
    public internal(set) var intercept: Tensor?
    /// The Trainer's epoch reports when the last `fit` used gradient descent, else nil.
    public private(set) var history: TrainingHistory?

    /// An unfitted model; `fit` or `fit(x:y:)` learns the coefficients.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var family: String { "linear" }

    public var parameterCount: Int { (coefficients?.count ?? 0) + (intercept?.count ?? 0) }

    public var description: String {
        let method = switch configuration.solver {
        case .normalEquations: "normal equations, ridge \(configuration.ridge)"
        case let .gradientDescent(training): "gradient descent, \(training.optimizer.kind), \(training.epochs) epochs"
        }
        guard let coefficients else { return "LinearRegression(unfitted, least squares by \(method))" }
        return "LinearRegression(\(coefficients.rows) -> \(coefficients.columns), least squares by \(method); "
            + "\(parameterCount) parameters)"
    }

    // MARK: Regression

    /// Fits real-valued targets: `x` `[N, d]`, `y` `[N, k]`, by the normal equations. Throws on bad shapes,
    /// non-finite values, a system the ridge cannot make solvable (`LinearRegressionError.singular`), or when the
    /// solver is gradient descent (which the Trainer runs on class labels only).
    public func fit(x: Tensor, y: Tensor) throws {
        guard configuration.solver == .normalEquations else {
            throw ModelError.invalidHyperparameter(name: "solver", value: "gradient descent",
                                                   reason: "fits class labels only; use the normal equations "
                                                       + "for real-valued targets")
        }
        guard x.rank == 2, x.shape[1] > 0 else {
            throw ModelError.shapeMismatch(family: family, expected: "[N, features] with at least one feature",
                                           actual: x.shape)
        }
        guard y.rank == 2, y.shape[1] > 0 else {
            throw ModelError.shapeMismatch(family: family, expected: "[N, outputs] with at least one output",
                                           actual: y.shape)
        }
        guard x.rows > 0 else { throw ModelError.badTrainingData(reason: "no samples") }
        guard x.rows == y.rows else {
            throw ModelError.badTrainingData(reason: "\(x.rows) inputs but \(y.rows) targets")
        }
        guard x.isFinite && y.isFinite else {
            throw ModelError.badTrainingData(reason: "inputs or targets contain NaN or infinity")
        }
        try configuration.validate()
        let solution = try solveNormalEquations(x: x, y: y, ridge: configuration.ridge)
        coefficients = solution.coefficients
        intercept = solution.intercept
        history = nil
    }

    /// Fitted values `[N, d] -> [N, k]`. Throws if the model is unfitted, `x` has the wrong width, or the values
    /// are not finite.
    public func predict(x: Tensor) throws -> Tensor {
        try validateInferenceInputs(x, featureCount: coefficients?.rows, family: family)
        guard let coefficients, let intercept else { throw ModelError.notFitted(family: family) }
        return try finiteOutputs(Tensor.matmul(x, coefficients).addingToEachRow(intercept), family: family)
    }

    // MARK: Classification (Model)

    /// Regresses the one-hot encoding of `targets` (classes `0...max(targets)`) on `inputs` `[N, features]`.
    public func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        try validateTrainingData(inputs, targets, family: family)
        guard let largest = targets.max(), targets.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.badTrainingData(reason: "class indices must be ≥ 0")
        }
        switch configuration.solver {
        case .normalEquations:
            try fit(x: inputs, y: oneHot(targets, classCount: largest + 1))
        case let .gradientDescent(training):
            let trainer = try Trainer(training, quiet: quiet)
            let network = Linear(inputs.columns, largest + 1, initialization: .zeros)
            history = try trainer.fit(network, loss: MeanSquaredError(), inputs: inputs, labels: targets)
            coefficients = network.weight.value.transposed()
            intercept = network.bias.value
        }
    }

    /// Fitted one-hot values `[N, features] -> [N, classes]`; the argmax is the predicted class.
    public func forward(_ inputs: Tensor) throws -> Tensor {
        try predict(x: inputs)
    }

    /// Mean squared error of `outputs` `[N, classes]` against the one-hot `targets`, averaged over all N·classes
    /// values (the quantity least squares minimises, up to the ridge term; its square root is the RMSE).
    public func loss(_ outputs: Tensor, _ targets: [Int]) -> Float {
        MeanSquaredError().value(outputs, labels: targets)
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
