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

    public convenience init(modelState state: ModelState) throws {
        self.init(try state.decodeHyperparameters(Configuration.self))
        let coefficients = try state.floats("coefficients", shape: [-1, -1])
        intercept = try state.floats("intercept", shape: [coefficients.columns])
        self.coefficients = coefficients
    }
}
