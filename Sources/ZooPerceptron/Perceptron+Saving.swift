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

    public convenience init(modelState state: ModelState) throws {
        self.init(try state.decodeHyperparameters(Configuration.self))
        let weights = try state.floats("weight", shape: [-1, -1])
        bias = try state.floats("bias", shape: [weights.rows])
        self.weights = weights
    }
}
