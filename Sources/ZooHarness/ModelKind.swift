import ZooCore
import ZooInception
import ZooLinear
import ZooLogistic
import ZooMLP
import ZooNN
import ZooPerceptron
import ZooTree

/// The table of the zoo's model families: one entry per family says everything the harness and the command line
/// need — its name (`--model mlp`, the model-file family), its type (how to load it from a file), whether the
/// lecture calls it deep, how to make it from options, and how to explain what it learned. Everything else
/// (`ModelKind.allCases`, `persistableFamilies`, `LectureClaim.deepFamilies`, loading any model file) is derived
/// from `allCases`. Adding a family is adding one entry.
public struct ModelKind: Sendable, Hashable, CaseIterable, RawRepresentable, Codable, CustomStringConvertible {
    /// The family's name, as in model files and on the command line ("tree", "mlp", ...).
    public let name: String
    /// The family's model type: what loads its model files.
    public let type: any PersistableModel.Type
    /// Whether the lecture counts it as deep (many layers learned end to end).
    public let isDeep: Bool
    /// Whether a fit with these options depends only on the training sample, not on the seed (no random
    /// initialisation, shuffling or feature draws): every seed's fit on one sample is then the same model, and
    /// a comparison fits it once.
    private let ignoresSeed: @Sendable (ModelOptions) -> Bool
    /// Whether the family reads images only (`[N, height, width, channels]`), so it cannot learn from a table.
    public let readsImages: Bool
    /// An unfitted model from the family's own defaults with `options` applied; validates them.
    private let make: @Sendable (ModelOptions) throws -> any Model
    /// A picture or text of what a fitted model learned, or nil if there is none for this model.
    private let explain: @Sendable (any Model, ExplanationContext) -> ExplanationSection?

    private init<M: PersistableModel>(_ type: M.Type, isDeep: Bool = false, readsImages: Bool = false,
                                      ignoresSeed: @escaping @Sendable (ModelOptions) -> Bool = { _ in false },
                                      make: @escaping @Sendable (ModelOptions) throws -> M,
                                      explain: @escaping @Sendable (M, ExplanationContext) -> ExplanationSection?) {
        name = M.familyName
        self.type = type
        self.isDeep = isDeep
        self.ignoresSeed = ignoresSeed
        self.readsImages = readsImages
        self.make = make
        self.explain = { model, context in (model as? M).flatMap { explain($0, context) } }
    }

    // MARK: The table

    /// Every family, in the order the zoo lists, trains and reports them.
    public static let allCases: [ModelKind] = [.tree, .linear, .logistic, .perceptron, .mlp, .inception]

    /// CART decision tree (Breiman et al. 1984): its top rules as text.
    /// Its fit uses every feature at every node: the seed only draws features when there is a limit.
    public static let tree = ModelKind(DecisionTree.self, ignoresSeed: { _ in true }, make: { options in
        var configuration = DecisionTree.Configuration(seed: options.seed)
        if let maxDepth = options.maxDepth { configuration.maxDepth = maxDepth }
        if let criterion = options.criterion { configuration.criterion = criterion }
        try configuration.validate()
        return DecisionTree(configuration)
    }, explain: { tree, context in
        guard let nodes = tree.nodes else { return nil }
        if let digit = context.digit { return DigitExplanations.treePath(nodes, digit, context) }
        return ExplanationSection(
                title: context.title,
                text: "The tree's own if-then rules, top \(context.treeDepth) levels: each question looks at one pixel "
                    + "(row, column) and compares its ink with a threshold; the counts are the training images "
                    + "that reached each node.",
                preformatted: nodes.rules(depth: context.treeDepth, imageShape: context.imageShape,
                                          classNames: context.classNames))
    })

    /// Least-squares linear regression on one-hot targets: per-class pixel weights.
    /// The closed form ignores the seed; gradient descent shuffles its batches.
    public static let linear = ModelKind(LinearRegression.self, ignoresSeed: { !($0.gradientDescent ?? false) },
                                         make: { options in
        var configuration = LinearRegression.Configuration()
        if options.gradientDescent == true {
            configuration.solver = .gradientDescent(options.training(TrainingConfiguration()))
        }
        try configuration.validate()
        return LinearRegression(configuration)
    }, explain: { linear, context in
        guard let coefficients = linear.coefficients, coefficients.rows == context.pixelCount else { return nil }
        if let digit = context.digit {
            return DigitExplanations.contributions(coefficients.transposed(), digit, context)
        }
        return WeightExplanations.perClassPixelWeights(coefficients.transposed(), modelName: context.name,
                                                       title: context.title, classNames: context.classNames,
                                                       ink: context.evidence.ink)
    })

    /// Multinomial logistic regression, one `Linear` layer + softmax: per-class pixel weights.
    public static let logistic = ModelKind(LogisticRegression.self, make: { options in
        var configuration = LogisticRegression.Configuration()
        configuration.training = options.training(configuration.training)
        try configuration.training.validate()
        return LogisticRegression(configuration)
    }, explain: { logistic, context in
        guard let weights = linearLayers(logistic.network).first?.weight.value,
              weights.columns == context.pixelCount else { return nil }
        if let digit = context.digit { return DigitExplanations.contributions(weights, digit, context) }
        return WeightExplanations.perClassPixelWeights(weights, modelName: context.name, title: context.title,
                                                       classNames: context.classNames, ink: context.evidence.ink)
    })

    /// Rosenblatt's perceptron (1958): per-class pixel weights.
    public static let perceptron = ModelKind(Perceptron.self, make: { options in
        var configuration = Perceptron.Configuration(seed: options.seed)
        if let epochs = options.training.epochs { configuration.epochs = epochs }
        if let learningRate = options.training.learningRate { configuration.learningRate = learningRate }
        if let averaged = options.averaged { configuration.averaged = averaged }
        try configuration.validate()
        return Perceptron(configuration)
    }, explain: { perceptron, context in
        guard let weights = perceptron.weights, weights.columns == context.pixelCount else { return nil }
        if let digit = context.digit { return DigitExplanations.contributions(weights, digit, context) }
        return WeightExplanations.perClassPixelWeights(weights, modelName: context.name, title: context.title,
                                                       classNames: context.classNames, ink: context.evidence.ink)
    })

    /// Multilayer perceptron: the first layer's strongest feature detectors.
    public static let mlp = ModelKind(MLP.self, isDeep: true, make: { options in
        var configuration = MLP.Configuration()
        if let hiddenSizes = options.hiddenSizes { configuration.hiddenSizes = hiddenSizes }
        if let activation = options.activation { configuration.activation = activation }
        if let batchNorm = options.batchNorm { configuration.batchNorm = batchNorm }
        configuration.training = options.training(configuration.training)
        try configuration.validate()
        try configuration.training.validate()
        return MLP(configuration)
    }, explain: { mlp, context in
        if let digit = context.digit { return DigitExplanations.saliency(mlp, digit, context) }
        let linears = linearLayers(mlp.network)
        guard linears.count >= 2, linears[0].inputSize == context.pixelCount else { return nil }
        return WeightExplanations.featureDetectors(incoming: linears[0].weight.value,
                                                   outgoing: linears[1].weight.value, modelName: context.name,
                                                   title: context.title, ink: context.evidence.ink)
    })

    /// A small Inception network (Szegedy et al. 2014): the stem's filters, and occlusion saliency maps on test
    /// images when the explanation has them.
    public static let inception = ModelKind(InceptionNet.self, isDeep: true, readsImages: true, make: { options in
        var configuration = InceptionNet.Configuration()
        if let width = options.inceptionWidth { configuration.width = width }
        configuration.training = options.training(configuration.training)
        try configuration.validate()
        try configuration.training.validate()
        return InceptionNet(configuration)
    }, explain: { inception, context in
        if let digit = context.digit { return DigitExplanations.saliency(inception, digit, context) }
        guard let network = inception.network else { return nil }
        var parts: [ExplanationSection] = []
        if let stem = NetworkExplanations.firstConvolution(network) {
            parts.append(NetworkExplanations.filters(stem, modelName: context.name, title: "The stem's filters"))
        }
        var text = "A convolutional network has no weight per pixel to draw: its first layer's filters show what it "
            + "looks for, and saliency maps on real test digits show which ink its answers rest on."
        if let examples = context.evidence.examples, examples.inputs.columns == context.pixelCount {
            do {
                parts.append(try NetworkExplanations.saliency(
                    inception, examples: examples, perClass: context.evidence.examplesPerClass,
                    classNames: context.classNames, imageShape: context.imageShape, modelName: context.name,
                    title: "Saliency on test digits"))
            } catch {
                text += " No saliency maps: \(error)."
            }
        } else {
            text += " (Saliency maps need the test images: give the dataset.)"
        }
        return ExplanationSection(title: context.title, text: text, subsections: parts)
    })

    // MARK: Derived

    /// The family named `rawValue`, or nil.
    public init?(rawValue: String) {
        guard let kind = Self.allCases.first(where: { $0.name == rawValue }) else { return nil }
        self = kind
    }

    public var rawValue: String { name }
    public var description: String { name }

    /// The family of `model`, or nil for a model from outside the zoo.
    public init?(of model: any Model) {
        self.init(rawValue: model.family)
    }

    /// An unfitted model of this family: its own defaults with `options` applied. Throws
    /// `ModelError.invalidHyperparameter` for an option out of range, now rather than mid-run.
    public func makeModel(_ options: ModelOptions = ModelOptions()) throws -> any Model {
        try make(options)
    }

    /// Whether this family's fit with `options` gives the same model for every seed on one sample.
    public func fitIgnoresSeed(_ options: ModelOptions) -> Bool {
        ignoresSeed(options)
    }

    /// What `model` (of this family) learned, or nil when the family has no picture of it.
    func explanation(of model: any Model, _ context: ExplanationContext) -> ExplanationSection? {
        explain(model, context)
    }

    public static func == (lhs: ModelKind, rhs: ModelKind) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The `Linear` layers of a network, input side first.
    private static func linearLayers(_ network: Sequential?) -> [Linear] {
        network?.layers.compactMap { $0 as? Linear } ?? []
    }
}

/// Every family that can be written to a model file, in the order the zoo lists them.
public var persistableFamilies: [any PersistableModel.Type] { ModelKind.allCases.map(\.type) }

/// What an explanation needs to know besides the model: names, shapes, the training set's ink and test images
/// (`evidence`), and for `classify --explain` the one digit to explain (`digit`; nil explains the model itself).
struct ExplanationContext {
    var name: String
    var title: String
    var classNames: [String]
    var imageShape: [Int]
    var treeDepth: Int
    var evidence = ExplanationEvidence()
    var digit: DigitEvidence? = nil
    var pixelCount: Int { imageShape.reduce(1, *) }
    /// Rows and columns of the image (a single row for a shape that is not 2-D).
    var sides: (rows: Int, columns: Int) {
        imageShape.count >= 2 ? (imageShape[0], imageShape[1]) : (1, pixelCount)
    }
    /// The name of class `index` (its number when unnamed).
    func className(_ index: Int) -> String { index < classNames.count ? classNames[index] : String(index) }
}
