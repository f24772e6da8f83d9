import ZooCore
import ZooNN

/// An Inception file holds the training configuration as hyperparameters and every layer's parameters and
/// BatchNorm statistics under `nn.Sequential`-style names ("1.weight", "3.0.weight", ... for the blocks).
extension InceptionNet: PersistableModel {
    public static var familyName: String { "inception" }

    public func modelState() throws -> ModelState {
        guard let network else { throw ModelError.notFitted(family: family) }
        return try network.modelState(hyperparameters: NetworkHyperparameters(
            configuration: configuration, inputSize: Self.imageSide * Self.imageSide, classCount: Self.classCount))
    }

    /// Restores a saved network.
    public convenience init(modelState state: ModelState) throws {
        let saved = try state.decodeHyperparameters(NetworkHyperparameters<Configuration>.self)
        guard saved.inputSize == Self.imageSide * Self.imageSide, saved.classCount == Self.classCount else {
            throw ModelFileError.badMetadata(file: state.file, key: ModelFile.Key.hyperparameters,
                                             reason: "describes \(saved.inputSize) inputs and \(saved.classCount) "
                                                 + "classes; this Inception network takes 784 and 10")
        }
        self.init(saved.configuration)
        let network = Self.makeNetwork(seed: saved.configuration.training.seed)
        try network.load(state)
        self.network = network
    }
}
