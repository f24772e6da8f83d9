import ZooCore
import ZooNN
import ZooTensor

/// What a saved network needs besides its weights to rebuild its layers: the family's configuration, the input
/// and output widths and, for a network of images, the input shape, stored as the model file's hyperparameters
/// JSON. (Files written before the shape was recorded hold square one-channel images: 784 = 28x28x1.)
public struct NetworkHyperparameters<Configuration: Codable>: Codable {
    /// The family's hyperparameters (architecture and training settings).
    public var configuration: Configuration
    /// Features per input (784 for MNIST).
    public var inputSize: Int
    /// Number of classes (10 for MNIST).
    public var classCount: Int
    /// `[height, width, channels]` of a network that reads images; nil for flat features.
    public var inputShape: [Int]?

    public init(configuration: Configuration, inputSize: Int, classCount: Int, inputShape: [Int]? = nil) {
        self.configuration = configuration
        self.inputSize = inputSize
        self.classCount = classCount
        self.inputShape = inputShape
    }
}

extension Sequential {
    /// Every parameter and buffer under a stable name, `<layer index>.<name>` as PyTorch's `nn.Sequential` names
    /// them ("0.weight", "0.bias", "2.running_mean"); a layer holding several tensors of one name (a block) numbers
    /// them, `<layer index>.<position>.<name>`. `Linear` weights are `[out, in]` as in PyTorch.
    public var namedTensors: [(name: String, tensor: Parameter)] {
        var named: [(String, Parameter)] = []
        for (index, layer) in layers.enumerated() {
            let tensors = layer.parameters + layer.buffers
            let names = tensors.map(\.name)
            let unique = Set(names).count == names.count
            for (position, tensor) in tensors.enumerated() {
                named.append((unique ? "\(index).\(tensor.name)" : "\(index).\(position).\(tensor.name)", tensor))
            }
        }
        return named
    }

    /// The network's fitted state with `hyperparameters`, for a family's `modelState()`.
    public func modelState<C: Codable>(hyperparameters: NetworkHyperparameters<C>) throws -> ModelState {
        var tensors: [String: StoredTensor] = [:]
        for (name, tensor) in namedTensors { tensors[name] = .floats(tensor.value) }
        return try ModelState(hyperparameters: hyperparameters, tensors: tensors)
    }

    /// Overwrites every parameter and buffer with the tensor of the same name in `state`. Throws
    /// `ModelFileError.badTensor` for a missing or misshapen tensor, or one this network does not have.
    public func load(_ state: ModelState) throws {
        let named = namedTensors
        for (name, tensor) in named {
            tensor.value = try state.floats(name, shape: tensor.value.shape)
        }
        let expected = Set(named.map(\.name))
        if let extra = state.tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw ModelFileError.badTensor(file: state.file, tensor: extra,
                                           reason: "is not part of this network; the file does not match its architecture")
        }
    }
}
