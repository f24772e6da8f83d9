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

    /// The configuration as files record it. Files written before the learning-rate decay existed lack it: those
    /// models were trained at a constant rate, a decay of 1.
    private struct SavedConfiguration: Codable {
        var training: TrainingConfiguration
        var learningRateDecay: Float?
    }

    public convenience init(modelState state: ModelState) throws {
        let saved = try state.decodeHyperparameters(NetworkHyperparameters<SavedConfiguration>.self)
        guard saved.inputSize == Self.imageSide * Self.imageSide, saved.classCount == Self.classCount else {
            throw ModelFileError.badMetadata(file: state.file, key: ModelFile.Key.hyperparameters,
                                             reason: "describes \(saved.inputSize) inputs and \(saved.classCount) "
                                                 + "classes; this Inception network takes 784 and 10")
        }
        let training = saved.configuration.training
        self.init(Configuration(training: training, learningRateDecay: saved.configuration.learningRateDecay ?? 1))
        let network = Self.makeNetwork(seed: training.seed)
        try network.load(state)
        self.network = network
    }
}
