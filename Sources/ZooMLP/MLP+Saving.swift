import ZooCore
import ZooNN

/// An MLP file holds the configuration, input and class counts as hyperparameters and every layer's tensors and
/// buffers under PyTorch's `nn.Sequential` names (e.g. "1.weight" `[hidden, 784]`, "1.bias").
extension MLP: PersistableModel {
    public static var familyName: String { "mlp" }

    public func modelState() throws -> ModelState {
        let linears = network?.layers.compactMap { $0 as? Linear } ?? []
        guard let network, let first = linears.first, let last = linears.last else {
            throw ModelError.notFitted(family: family)
        }
        return try network.modelState(hyperparameters: NetworkHyperparameters(
            configuration: configuration, inputSize: first.inputSize, classCount: last.outputSize))
    }

    public convenience init(modelState state: ModelState) throws {
        let saved = try state.decodeHyperparameters(NetworkHyperparameters<Configuration>.self)
        self.init(saved.configuration)
        prepare(inputSize: saved.inputSize, classCount: saved.classCount)
        try network!.load(state)
    }
}
