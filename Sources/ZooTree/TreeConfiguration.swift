import Foundation
import ZooCore

/// How a tree measures how mixed a node's classes are; a split is chosen to lower it the most.
public enum SplitCriterion: String, Sendable, CaseIterable, Codable {
    /// Gini impurity `1 − Σ p_k²`: the chance that two random samples of the node have different classes
    /// (CART's criterion, scikit-learn's default).
    case gini
    /// Shannon entropy `−Σ p_k log₂ p_k`, in bits: the information gained by a split (ID3/C4.5).
    case entropy

    /// The impurity of a node with these per-class sample counts (0 for an empty or pure node).
    public func impurity(of counts: [Int]) -> Double {
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return 0 }
        switch self {
        case .gini:
            return 1 - counts.reduce(0.0) { $0 + (Double($1) / total) * (Double($1) / total) }
        case .entropy:
            return counts.reduce(0.0) { sum, count in
                count == 0 ? sum : sum - Double(count) / total * log2(Double(count) / total)
            }
        }
    }
}

/// How many features each node may look at when it searches for its split.
public enum MaxFeatures: Sendable, Equatable, Codable {
    /// Every feature (scikit-learn's default for a single tree).
    case all
    /// `⌊√features⌋` features (28 of MNIST's 784), the usual choice inside random forests.
    case squareRoot
    /// `⌊log₂ features⌋` features.
    case log2
    /// At most this many features.
    case count(Int)
    /// This fraction of the features (in `0<..1`), at least one.
    case fraction(Double)

    /// The number of features a node draws when the inputs have `featureCount` of them.
    public func resolved(featureCount: Int) -> Int {
        let count: Int = switch self {
        case .all: featureCount
        case .squareRoot: Int(Double(featureCount).squareRoot())
        case .log2: Int(Foundation.log2(Double(Swift.max(featureCount, 1))))
        case let .count(n): n
        case let .fraction(f): Int(f * Double(featureCount))
        }
        return Swift.min(featureCount, Swift.max(1, count))
    }
}

extension DecisionTree {
    /// The tree's hyperparameters. Defaults are scikit-learn's `DecisionTreeClassifier` defaults, so a default
    /// tree grows until every leaf is pure (or cannot be split).
    public struct Configuration: Sendable, Equatable, Codable {
        /// Impurity measure the splits minimise. Default `.gini`.
        public var criterion: SplitCriterion
        /// Deepest level a node may sit at (the root is depth 0); `nil` (default) grows without limit.
        public var maxDepth: Int?
        /// A node needs at least this many samples to be split (≥ 2). Default 2.
        public var minSamplesSplit: Int
        /// Each child of a split keeps at least this many samples (≥ 1). Default 1.
        public var minSamplesLeaf: Int
        /// Features each node considers, drawn afresh at every node with the seeded generator. Default `.all`.
        public var maxFeatures: MaxFeatures
        /// A split is kept only if it lowers the weighted impurity by at least this much, in scikit-learn's units:
        /// `n_node / n_total * (impurity − n_left / n_node * impurity_left − n_right / n_node * impurity_right)`.
        /// Default 0.
        public var minImpurityDecrease: Double
        /// Seed of the generator that draws each node's features when `maxFeatures` is not `.all`. Default 0.
        public var seed: UInt64

        /// Stores the hyperparameters; `DecisionTree.fit` checks them.
        public init(criterion: SplitCriterion = .gini, maxDepth: Int? = nil, minSamplesSplit: Int = 2,
                    minSamplesLeaf: Int = 1, maxFeatures: MaxFeatures = .all, minImpurityDecrease: Double = 0,
                    seed: UInt64 = 0) {
            self.criterion = criterion
            self.maxDepth = maxDepth
            self.minSamplesSplit = minSamplesSplit
            self.minSamplesLeaf = minSamplesLeaf
            self.maxFeatures = maxFeatures
            self.minImpurityDecrease = minImpurityDecrease
            self.seed = seed
        }

        /// Throws `ModelError.invalidHyperparameter` naming the first value out of range.
        public func validate() throws {
            func invalid(_ name: String, _ value: Any, _ reason: String) -> ModelError {
                .invalidHyperparameter(name: name, value: "\(value)", reason: reason)
            }
            if let maxDepth, maxDepth < 1 {
                throw invalid("maxDepth", maxDepth, "must be at least 1 (or unset for no limit)")
            }
            guard minSamplesSplit >= 2 else {
                throw invalid("minSamplesSplit", minSamplesSplit, "must be at least 2: a split needs two samples")
            }
            guard minSamplesLeaf >= 1 else {
                throw invalid("minSamplesLeaf", minSamplesLeaf, "must be at least 1: a leaf needs a sample")
            }
            switch maxFeatures {
            case let .count(n) where n < 1:
                throw invalid("maxFeatures", n, "must be at least 1")
            case let .fraction(f) where !(f > 0 && f <= 1):
                throw invalid("maxFeatures", f, "a fraction must be in 0<..1")
            default: break
            }
            guard minImpurityDecrease >= 0 && minImpurityDecrease.isFinite else {
                throw invalid("minImpurityDecrease", minImpurityDecrease, "must be a finite number ≥ 0")
            }
        }
    }
}
