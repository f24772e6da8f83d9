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

/// How a family names the tensors of its network in model files: names for the top-level layers and for the parts
/// of its composite layers. The default (no names) is PyTorch's `nn.Sequential` numbering.
public struct TensorNaming {
    /// Names of the network's top-level layers, input side first; nil numbers them.
    public var layerNames: [String]?
    /// The named parts of a composite layer (an Inception block's branches, say); nil numbers a `Sequential`'s or
    /// a `Concat`'s layers and takes any other layer's tensors as they are.
    public var parts: (Layer) -> [(name: String, layer: Layer)]?

    public init(layerNames: [String]? = nil, parts: @escaping (Layer) -> [(name: String, layer: Layer)]? = { _ in nil }) {
        self.layerNames = layerNames
        self.parts = parts
    }

    /// `nn.Sequential`'s numbering all the way down: "0.weight", "3.1.0.weight".
    public static var positional: TensorNaming { TensorNaming() }
}

extension Sequential {
    /// Every parameter and buffer under a path-style name, `<layer>.<part>....<tensor>`: with `.positional`
    /// naming the layer indices, as PyTorch's `nn.Sequential` names them ("0.weight", "2.running_mean"), with a
    /// family's naming its words ("stem.conv.weight", "block1.branch3x3.1.conv.weight"). `Linear` weights are
    /// `[out, in]` as in PyTorch; convolution kernels are HWIO `[kh, kw, in, out]`.
    public func namedTensors(_ naming: TensorNaming) -> [(name: String, tensor: Parameter)] {
        var named: [(String, Parameter)] = []
        func visit(_ layer: Layer, _ path: String) {
            let children: [(name: String, layer: Layer)]?
            if let parts = naming.parts(layer) {
                children = parts
            } else if let sequential = layer as? Sequential {
                children = sequential.layers.enumerated().map { ("\($0.offset)", $0.element) }
            } else if let concat = layer as? Concat {
                children = concat.branches.enumerated().map { ("\($0.offset)", $0.element) }
            } else {
                children = nil
            }
            if let children {
                for child in children { visit(child.layer, path + child.name + ".") }
            } else {
                for tensor in layer.parameters + layer.buffers { named.append((path + tensor.name, tensor)) }
            }
        }
        let names = naming.layerNames.flatMap { $0.count == layers.count ? $0 : nil }
            ?? layers.indices.map { "\($0)" }
        for (name, layer) in zip(names, layers) { visit(layer, name + ".") }
        return named
    }

    /// The names of the first file format, kept to read its files: `<layer index>.<name>`, and a layer holding
    /// several tensors of one name (a block) numbering them, `<layer index>.<position>.<name>`.
    public var positionalNamedTensors: [(name: String, tensor: Parameter)] {
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

    /// The tensors under `nn.Sequential`'s names: `namedTensors(.positional)`.
    public var namedTensors: [(name: String, tensor: Parameter)] { namedTensors(.positional) }

    /// The network's fitted state with `hyperparameters`, its tensors named by `naming`, for a family's
    /// `modelState()`.
    public func modelState<C: Codable>(hyperparameters: NetworkHyperparameters<C>,
                                       naming: TensorNaming = .positional) throws -> ModelState {
        var tensors: [String: StoredTensor] = [:]
        for (name, tensor) in namedTensors(naming) { tensors[name] = .floats(tensor.value) }
        return try ModelState(hyperparameters: hyperparameters, tensors: tensors)
    }

    /// Overwrites every parameter and buffer with the tensor of the same name in `state`, named by `naming` or, in
    /// a file of the first format, by `positionalNamedTensors`. Throws `ModelFileError.badTensor` for a missing
    /// or misshapen tensor, or one this network does not have.
    public func load(_ state: ModelState, naming: TensorNaming = .positional) throws {
        var named = namedTensors(naming)
        let legacy = positionalNamedTensors
        if let first = named.first, state.tensors[first.name] == nil,
           let oldFirst = legacy.first, state.tensors[oldFirst.name] != nil {
            named = legacy
        }
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
