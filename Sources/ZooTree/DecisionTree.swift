// CART classification tree: Breiman, Friedman, Olshen & Stone, "Classification and Regression Trees" (1984).
//
// Binary splits "x[feature] <= threshold" chosen greedily to minimise the weighted Gini impurity (or entropy)
// of the two children, grown depth-first until the stopping rules hold, with class probabilities at the leaves.
// Hyperparameters and their defaults follow scikit-learn's DecisionTreeClassifier.
// Deviations: no cost-complexity pruning (Breiman's chapter 3), no surrogate splits or missing values, and
// thresholds are searched over at most 256 bins per feature: exact for byte data such as MNIST pixels (see
// FeatureBinning); ties between equally good splits go to the lowest feature index, then the lowest threshold
// (scikit-learn breaks them by a random feature order).

import Foundation
import ZooCore
import ZooData
import ZooTensor

/// A classification tree that learns its own if-then rules: which pixel to look at and which threshold to
/// compare it with, one question per node, until the answer is (nearly) certain.
///
/// `fit` takes `[N, features]` Float inputs (MNIST: pixels / 255, turned back into exact bytes inside) or the
/// bytes themselves; `forward` maps `[N, features] -> [N, classCount]` leaf class frequencies.
public final class DecisionTree: Model {
    /// The hyperparameters this tree is grown with.
    public let configuration: Configuration
    /// The fitted tree, `nil` before `fit`. Read-only: set by `fit` or `init(nodes:)`.
    public private(set) var nodes: TreeNodes? {
        didSet { compiled = nodes.map(CompiledTree.init) }
    }
    private var compiled: CompiledTree?

    public var family: String { "tree" }

    /// An unfitted tree with these hyperparameters (checked by `fit`).
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// A fitted tree from stored arrays (see `TreeNodes`, whose initializer validates them).
    public init(nodes: TreeNodes, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.nodes = nodes
        compiled = CompiledTree(nodes)
    }

    /// Grows the tree on `inputs` `[N, features]` and `targets` in `0..<(targets.max() + 1)`.
    public func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        try fit(inputs, targets, classCount: (targets.max() ?? 0) + 1)
    }

    /// Grows the tree on `inputs` `[N, features]` and `targets` in `0..<classCount` (so `forward` has
    /// `classCount` columns even if some class is missing from the training data).
    public func fit(_ inputs: Tensor, _ targets: [Int], classCount: Int) throws {
        try configuration.validate()
        try validateTrainingData(inputs, targets, classCount: classCount, family: family)
        try grow(FeatureBinning(inputs), labels: targets, classCount: classCount)
    }

    /// Grows the tree on bytes: `pixels` row-major `[N, featureCount]` (e.g. `Dataset.pixels`) and `labels` in
    /// `0..<classCount`. Gives the same tree as `fit` on `pixels / 255`.
    public func fit(pixels: [UInt8], featureCount: Int, labels: [Int], classCount: Int) throws {
        try configuration.validate()
        guard featureCount > 0, !labels.isEmpty, pixels.count == labels.count * featureCount else {
            throw ModelError.badTrainingData(
                reason: "\(pixels.count) pixels do not make \(labels.count) samples of \(featureCount) features")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classCount }) {
            throw ModelError.badTrainingData(reason: "label \(bad) is outside 0..<\(classCount)")
        }
        try grow(FeatureBinning(pixels: pixels, featureCount: featureCount), labels: labels, classCount: classCount)
    }

    /// Grows the tree on a dataset's bytes and labels (the fastest way in).
    public func fit(_ dataset: Dataset) throws {
        try fit(pixels: dataset.pixels, featureCount: dataset.pixelsPerImage, labels: dataset.labels,
                classCount: dataset.classCount)
    }

    /// The most training samples a tree takes: the Gini search's exact Int64 arithmetic holds up to here.
    public static let maximumSampleCount = TreeNodes.maximumSampleCount

    private func grow(_ binning: FeatureBinning, labels: [Int], classCount: Int) throws {
        guard classCount <= SplitScorer.maximumClassCount else {
            throw ModelError.badTrainingData(reason: "\(classCount) classes: the decision tree supports at most "
                                             + "\(SplitScorer.maximumClassCount)")
        }
        guard binning.sampleCount <= Self.maximumSampleCount else {
            throw ModelError.badTrainingData(reason: "\(binning.sampleCount) samples: the decision tree takes at "
                                             + "most \(Self.maximumSampleCount); train on a sample")
        }
        let grown = binning.columns.withUnsafeBufferPointer { columns in
            binning.rows.withUnsafeBufferPointer { rows in
                TreeBuilder(columns: columns.baseAddress!, rows: rows.baseAddress!, sampleCount: binning.sampleCount,
                            featureCount: binning.featureCount, labels: labels, classCount: classCount,
                            configuration: configuration).grow()
            }
        }
        let thresholds = zip(grown.feature, grown.edge).map { feature, edge in
            feature < 0 ? 0 : binning.threshold(feature: Int(feature), edge: Int(edge))
        }
        nodes = TreeNodes(unchecked: binning.featureCount, classCount, grown.feature, thresholds, grown.left,
                          grown.right, grown.classCounts)
    }

    /// Class probabilities: `[N, features] -> [N, classCount]`, each row the class frequencies of the training
    /// samples in the leaf the input falls into. Throws if the tree is not fitted or the width differs.
    public func forward(_ inputs: Tensor) throws -> Tensor {
        try validateInferenceInputs(inputs, featureCount: compiled?.featureCount, family: family)
        guard let compiled else { throw ModelError.notFitted(family: family) }
        return compiled.probabilities(inputs)
    }

    /// Predicted classes of byte inputs `pixels` (row-major `[N, featureCount]`), identical to `predict` on
    /// `pixels / 255` (`Dataset.inputs`). `N` class indices. Throws if the tree is not fitted or the bytes are not
    /// whole rows.
    public func predict(pixels: [UInt8]) throws -> [Int] {
        guard let compiled else { throw ModelError.notFitted(family: family) }
        guard pixels.count % compiled.featureCount == 0 else {
            throw ModelError.shapeMismatch(family: family, expected: "rows of \(compiled.featureCount) bytes", actual: [pixels.count])
        }
        return compiled.predict(pixels: pixels)
    }

    /// Mean negative log-likelihood of `targets` under `outputs` (probabilities from `forward`): ZooCore's
    /// `crossEntropy(probabilities:labels:)`, so a wrong pure leaf costs a large but finite loss.
    public func loss(_ outputs: Tensor, _ targets: [Int]) -> Float {
        crossEntropy(probabilities: outputs, labels: targets)
    }

    /// Number of nodes (each holds a feature, a threshold and class counts).
    public var parameterCount: Int { nodes?.nodeCount ?? 0 }

    /// The hyperparameters and, once fitted, the tree's size.
    public var description: String {
        let c = configuration
        let settings = "DecisionTree(criterion: \(c.criterion), maxDepth: \(c.maxDepth.map(String.init) ?? "none"), "
            + "minSamplesSplit: \(c.minSamplesSplit), minSamplesLeaf: \(c.minSamplesLeaf), "
            + "maxFeatures: \(c.maxFeatures), minImpurityDecrease: \(c.minImpurityDecrease), seed: \(c.seed))"
        guard let nodes else { return settings + "\n  not fitted" }
        return settings + "\n  \(nodes.featureCount) features -> \(nodes.classCount) classes: \(nodes.nodeCount) "
            + "nodes (\(nodes.leafCount) leaves), depth \(nodes.depth)"
    }
}
