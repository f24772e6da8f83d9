import ZooCore
import ZooTensor

/// A linear-regression file holds the configuration as hyperparameters and the fitted "coefficients"
/// `[features, outputs]` and "intercept" `[outputs]`.
extension LinearRegression: PersistableModel {
    public static var familyName: String { "linear" }

    public func modelState() throws -> ModelState {
        guard let coefficients, let intercept else { throw ModelError.notFitted(family: family) }
        return try ModelState(hyperparameters: configuration,
                              tensors: ["coefficients": .floats(coefficients), "intercept": .floats(intercept)])
    }

    /// Rebuilds a fitted model, checking the settings, that the coefficients are a non-empty
    /// `[features, outputs]` matrix with an `[outputs]` intercept, the file holds nothing else, and every value is
    /// finite.
    public convenience init(modelState state: ModelState) throws {
        let configuration = try state.decodeHyperparameters(Configuration.self)
        try state.validateHyperparameters(configuration.validate)
        self.init(configuration)
        let coefficients = try state.floats("coefficients", shape: [-1, -1])
        guard coefficients.rows > 0, coefficients.columns > 0 else {
            throw ModelFileError.badTensor(file: state.file, tensor: "coefficients",
                                           reason: "has shape \(coefficients.shape); expected [features, outputs], both ≥ 1")
        }
        intercept = try state.floats("intercept", shape: [coefficients.columns])
        try state.requireOnly(["coefficients", "intercept"])
        self.coefficients = coefficients
    }
}
