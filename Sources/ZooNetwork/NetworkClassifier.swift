import ZooCore
import ZooNN
import ZooTensor

/// A network family as a model: what logistic regression, the MLP and the Inception network do the same way,
/// kept in one place. `fit` builds the configuration's layers for the input shape and class count of the data and
/// trains their logits on softmax cross-entropy through the `Trainer`; `forward` turns the logits into
/// probabilities in memory-bounded chunks; a model file holds the configuration, the input shape and class count,
/// and every tensor under the family's path-style names (PyTorch's `nn.Sequential` numbering, "1.weight", unless
/// the family names its layers).
///
/// The families are this class specialised: `typealias MLP = NetworkClassifier<MLPConfiguration>`.
public final class NetworkClassifier<Family: NetworkConfiguration>: PersistableModel {
    /// The family's configuration type, e.g. `MLP.Configuration` (= `MLPConfiguration`).
    public typealias Configuration = Family

    /// The hyperparameters, as given.
    public let configuration: Configuration
    /// The fitted network, `[N, features] -> [N, classes]` logits; nil before `fit` or a load. Read-only: only
    /// `fit` and loading a model file set it, together with the shapes it was built for.
    public private(set) var network: Sequential?
    /// The sample shape the network was built for; nil before `fit`.
    public private(set) var inputShape: InputShape?
    /// The number of classes the network scores; nil before `fit`.
    public private(set) var classCount: Int?
    /// Loss and accuracy per epoch of the last `fit`.
    public private(set) var history: TrainingHistory?

    /// Stores the hyperparameters; learns nothing yet.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public static var familyName: String { Configuration.familyName }
    public var family: String { Self.familyName }

    /// Trains a freshly initialised network on `inputs` (`[N, features]`, or `[N, H, W, C]` images for a family
    /// that reads images) and their class indices `targets`: the class count is `max(targets) + 1`.
    public func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        try fit(inputs, targets, quiet: quiet) { _ in }
    }

    /// `fit`, calling `onEpoch` after every epoch; during the call the model predicts with the network as
    /// trained so far (to score a test set per epoch, say).
    public func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool = false,
                    onEpoch: (EpochReport) -> Void) throws {
        try configuration.validate()
        let trainer = try Trainer(configuration.training, quiet: quiet)
        let shape = try InputShape.of(inputs, images: Configuration.readsImages, family: family)
        guard let featureCount = shape.featureCount, featureCount > 0 else {
            throw ModelError.shapeMismatch(family: family, expected: "samples of at least one value", actual: inputs.shape)
        }
        let rows = inputs.reshaped([inputs.shape[0], featureCount])
        try validateTrainingData(rows, targets, family: family)
        guard targets.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.badTrainingData(reason: "class indices must be ≥ 0")
        }
        let classCount = (targets.max() ?? 0) + 1
        guard classCount <= Self.maximumDimension else {
            throw ModelError.badTrainingData(reason: "class index \(classCount - 1) is above \(Self.maximumDimension - 1)")
        }
        try configuration.validate(input: shape)
        let layers = Sequential(configuration.makeLayers(input: shape, classCount: classCount))
        let standardize = Configuration.standardizesInputs ? Standardize(fittedTo: rows) : nil
        let network = Sequential((standardize.map { [$0] } ?? []) + layers.layers)
        (self.network, inputShape, self.classCount) = (network, shape, classCount)
        do {
            let blankPaper = standardize.map { $0(Tensor(shape: [1, 1], values: [0])).scalars[0] } ?? 0
            history = try trainer.fit(layers, loss: SoftmaxCrossEntropy(), inputs: standardize?(rows) ?? rows,
                                      labels: targets, background: blankPaper, onEpoch: onEpoch)
        } catch {
            (self.network, inputShape, self.classCount, history) = (nil, nil, nil, nil)
            throw error
        }
    }

    /// Class probabilities `[N, features] -> [N, classes]` (or `[N, H, W, C]` images in): the network in inference
    /// mode, softmax per row, a chunk of rows at a time. Throws before `fit`, for inputs of another shape than the
    /// network was fitted on, and when the outputs are not finite.
    public func forward(_ inputs: Tensor) throws -> Tensor {
        guard let network, let inputShape, let featureCount = inputShape.featureCount else {
            throw ModelError.notFitted(family: family)
        }
        let fits = inputs.rank == 2 ? inputs.shape[1] == featureCount
            : inputs.rank == 4 && Array(inputs.shape.dropFirst()) == inputShape.dimensions
        guard fits else {
            throw ModelError.shapeMismatch(family: family, expected: "[N, \(featureCount)] (samples of \(inputShape))",
                                           actual: inputs.shape)
        }
        let rows = inputs.reshaped([inputs.shape[0], featureCount])
        return try finiteOutputs(Self.probabilities(network, rows, chunk: Configuration.inferenceChunk),
                                 family: family)
    }

    /// Mean cross-entropy of probabilities from `forward` against the true classes.
    public func loss(_ outputs: Tensor, _ targets: [Int]) -> Float {
        crossEntropy(probabilities: outputs, labels: targets)
    }

    public var parameterCount: Int { network?.parameterCount ?? 0 }

    /// The family's settings, then the layers with their parameter counts once fitted.
    public var description: String {
        guard let network, let inputShape else { return configuration.summary + ", not fitted" }
        return configuration.summary + (Configuration.readsImages ? ", \(inputShape) images" : "") + "\n"
            + network.description
    }

    /// Softmax of `network`'s logits for `inputs` `[N, features]`, computed `chunk` rows at a time so a large
    /// test set never holds every hidden activation at once.
    static func probabilities(_ network: Layer, _ inputs: Tensor, chunk: Int) -> Tensor {
        let count = inputs.shape[0]
        guard count > chunk else { return softmaxRows(network(inputs)) }
        var parts: [Tensor] = []
        for start in stride(from: 0, to: count, by: chunk) {
            parts.append(softmaxRows(network(inputs.rows(start..<min(start + chunk, count)))))
        }
        let classes = parts[0].shape[1]
        return Tensor(shape: [count, classes]) { out in
            var offset = 0
            for part in parts {
                part.withUnsafeBufferPointer { (out.baseAddress! + offset).update(from: $0.baseAddress!, count: $0.count) }
                offset += part.count
            }
        }
    }

    // MARK: Model files

    public func modelState() throws -> ModelState {
        guard let network, let inputShape, let classCount, let featureCount = inputShape.featureCount else {
            throw ModelError.notFitted(family: family)
        }
        return try network.modelState(hyperparameters: NetworkHyperparameters(
            configuration: configuration, inputSize: featureCount, classCount: classCount,
            inputShape: Configuration.readsImages ? inputShape.dimensions : nil), naming: Configuration.tensorNaming)
    }

    /// The largest side, channel count or class count a model file may declare.
    public static var maximumDimension: Int { 1 << 24 }

    /// Rebuilds a fitted network from `state`, checking before any layer is built that the hyperparameters are in
    /// range, describe the input shape they claim, and account for exactly the values the file holds; then
    /// every tensor's dtype, shape and finiteness as it is copied in. Throws `ModelFileError` naming the problem.
    public convenience init(modelState state: ModelState) throws {
        let saved = try state.decodeHyperparameters(NetworkHyperparameters<Configuration>.self)
        func invalid(_ reason: String) -> ModelFileError {
            .badMetadata(file: state.file, key: ModelFile.Key.hyperparameters, reason: reason)
        }
        try state.validateHyperparameters {
            try saved.configuration.validate()
            try saved.configuration.training.validate()
        }
        let limit = Self.maximumDimension
        guard (1...limit).contains(saved.classCount) else {
            throw invalid("give \(saved.classCount) classes; expected 1...\(limit)")
        }
        guard saved.inputSize >= 1 else { throw invalid("give \(saved.inputSize) inputs; expected at least 1") }
        let shape: InputShape
        if let dimensions = saved.inputShape {
            guard dimensions.count == 3, dimensions.allSatisfy({ (1...limit).contains($0) }) else {
                throw invalid("give the input shape \(dimensions); expected [height, width, channels] in 1...\(limit)")
            }
            shape = InputShape(height: dimensions[0], width: dimensions[1], channels: dimensions[2])
        } else if Configuration.readsImages {
            let side = Int(Double(saved.inputSize).squareRoot().rounded())
            shape = InputShape(height: side, width: side, channels: 1)
        } else {
            shape = InputShape(features: saved.inputSize)
        }
        guard shape.featureCount == saved.inputSize else {
            throw invalid("give \(saved.inputSize) inputs, which are not samples of shape \(shape)")
        }
        try state.validateHyperparameters { try saved.configuration.validate(input: shape) }
        let held = state.valueCount
        guard let expected = saved.configuration.storedValueCount(input: shape, classCount: saved.classCount),
              expected == held else {
            throw invalid("describe a network for \(shape) inputs and \(saved.classCount) classes that does not "
                          + "match the \(held) values the file holds")
        }
        self.init(saved.configuration)
        let network = saved.configuration.makeNetwork(input: shape, classCount: saved.classCount)
        try network.load(state, naming: Configuration.tensorNaming)
        if let standardize = network.layers.first as? Standardize, !(standardize.standardDeviation.value.scalar > 0) {
            throw ModelFileError.badTensor(file: state.file, tensor: "0.std", reason: "is not positive")
        }
        (self.network, inputShape, classCount) = (network, shape, saved.classCount)
    }
}
