import ZooCore

/// A network model built from its configuration, the input width and the class count, whose first `Linear`
/// layer reads the features and whose last one gives the class logits: logistic regression and the MLP.
/// Saving and loading are the same for all of them, so they live here once: a file holds the configuration and
/// the input and class counts as hyperparameters, and every layer's tensors and buffers under PyTorch's
/// `nn.Sequential` names ("1.weight", ...).
public protocol DenseNetworkModel: NetworkModel, PersistableModel {
    associatedtype Configuration: Codable
    /// The settings `fit` uses.
    var configuration: Configuration { get }
    /// An unfitted model with these settings.
    init(_ configuration: Configuration)
    /// Builds the untrained network for `inputSize` features and `classCount` classes.
    func prepare(inputSize: Int, classCount: Int)
}

extension DenseNetworkModel {
    public func modelState() throws -> ModelState {
        let linears = network?.layers.compactMap { $0 as? Linear } ?? []
        guard let network, let first = linears.first, let last = linears.last else {
            throw ModelError.notFitted(family: family)
        }
        return try network.modelState(hyperparameters: NetworkHyperparameters(
            configuration: configuration, inputSize: first.inputSize, classCount: last.outputSize))
    }

    public init(modelState state: ModelState) throws {
        let saved = try state.decodeHyperparameters(NetworkHyperparameters<Configuration>.self)
        self.init(saved.configuration)
        prepare(inputSize: saved.inputSize, classCount: saved.classCount)
        try network!.load(state)
    }
}
