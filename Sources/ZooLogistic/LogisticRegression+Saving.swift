import ZooCore
import ZooNN

/// A logistic-regression file holds the training configuration, input and class counts as hyperparameters and
/// the one layer's "0.weight" `[classes, features]` and "0.bias" `[classes]`.
extension LogisticRegression: PersistableModel {
    public static var familyName: String { "logistic" }

    public func modelState() throws -> ModelState {
        guard let network, let layer = network.layers.first as? Linear else {
            throw ModelError.notFitted(family: family)
        }
        return try network.modelState(hyperparameters: NetworkHyperparameters(
            configuration: configuration, inputSize: layer.inputSize, classCount: layer.outputSize))
    }

    public convenience init(modelState state: ModelState) throws {
        let saved = try state.decodeHyperparameters(NetworkHyperparameters<Configuration>.self)
        self.init(saved.configuration)
        prepare(inputSize: saved.inputSize, classCount: saved.classCount)
        try network!.load(state)
    }
}
