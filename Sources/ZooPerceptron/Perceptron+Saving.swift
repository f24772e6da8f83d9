import ZooCore
import ZooTensor

/// A perceptron file holds the configuration as hyperparameters and the weights used to predict: "weight"
/// `[classes, features]` (the averaged ones for an averaged perceptron) and "bias" `[classes]`.
extension Perceptron: PersistableModel {
    public static var familyName: String { "perceptron" }

    public func modelState() throws -> ModelState {
        guard let weights, let bias else { throw ModelError.notFitted(family: family) }
        return try ModelState(hyperparameters: configuration, tensors: ["weight": .floats(weights), "bias": .floats(bias)])
    }

    /// Rebuilds a fitted perceptron, checking the settings, that "weight" is a non-empty `[classes, features]`
    /// matrix with a `[classes]` bias, the file holds nothing else, and every value is finite.
    public convenience init(modelState state: ModelState) throws {
        let configuration = try state.decodeHyperparameters(Configuration.self)
        try state.validateHyperparameters(configuration.validate)
        self.init(configuration)
        let weights = try state.floats("weight", shape: [-1, -1])
        guard weights.rows > 0, weights.columns > 0 else {
            throw ModelFileError.badTensor(file: state.file, tensor: "weight",
                                           reason: "has shape \(weights.shape); expected [classes, features], both ≥ 1")
        }
        bias = try state.floats("bias", shape: [weights.rows])
        try state.requireOnly(["weight", "bias"])
        self.weights = weights
    }
}
