/// A fitted tree as flat arrays, one entry per node, like scikit-learn's `tree_` arrays: the root is node 0 and
/// every node comes before its children (the builder numbers depth-first, appending the small subtrees it grew
/// in parallel after the large nodes). These arrays are the whole model: save them
/// as tensors and rebuild the tree with `init(featureCount:classCount:feature:threshold:left:right:classCounts:)`.
///
/// An inner node sends an input `x` left when `x[feature] <= threshold`, else right. A leaf has
/// `feature == -1`, `left == right == -1` and `threshold == 0`.
public struct TreeNodes: Sendable, Equatable {
    /// Width of the inputs the tree was fitted on (784 for MNIST).
    public let featureCount: Int
    /// Number of classes; each node has this many counts.
    public let classCount: Int
    /// Feature each inner node tests, -1 at leaves. `[nodeCount]`.
    public let feature: [Int32]
    /// Threshold in input units (0...1 for scaled pixels): `x[feature] <= threshold` goes left. `[nodeCount]`.
    public let threshold: [Float]
    /// Index of the left child, -1 at leaves. Always greater than the node's own index. `[nodeCount]`.
    public let left: [Int32]
    /// Index of the right child, -1 at leaves. `[nodeCount]`.
    public let right: [Int32]
    /// Training samples of each class that reached each node, row-major `[nodeCount, classCount]`.
    /// A leaf predicts these counts normalised to probabilities.
    public let classCounts: [Int32]

    /// The widest input a stored tree may declare.
    public static let maximumFeatureCount = 1 << 24
    /// The most training samples a stored tree may count at its root (what `DecisionTree.fit` accepts).
    public static let maximumSampleCount = 2_000_000

    /// Number of nodes, inner nodes and leaves.
    public var nodeCount: Int { feature.count }

    /// Rebuilds a tree from its arrays, checking that they form one tree: equal lengths, leaves marked
    /// consistently, children after their parent and each node with exactly one parent, features in range,
    /// finite thresholds, non-negative counts that add up from children to parent.
    /// Throws `TreeError.invalidNodes` naming the first problem.
    public init(featureCount: Int, classCount: Int, feature: [Int32], threshold: [Float], left: [Int32],
                right: [Int32], classCounts: [Int32]) throws {
        func invalid(_ reason: String) -> TreeError { .invalidNodes(reason: reason) }
        let n = feature.count
        guard (1...Self.maximumFeatureCount).contains(featureCount), classCount > 0 else {
            throw invalid("featureCount \(featureCount) must be in 1...\(Self.maximumFeatureCount) and classCount "
                          + "\(classCount) positive")
        }
        guard n > 0 else { throw invalid("a tree needs at least one node") }
        guard threshold.count == n, left.count == n, right.count == n, classCounts.count == n * classCount else {
            throw invalid("array lengths differ: feature \(n), threshold \(threshold.count), left \(left.count), "
                          + "right \(right.count), classCounts \(classCounts.count) (expected \(n) x \(classCount))")
        }
        var parents = [Int](repeating: 0, count: n)
        for node in 0..<n {
            let counts = classCounts[(node * classCount)..<((node + 1) * classCount)]
            guard counts.allSatisfy({ $0 >= 0 }), counts.contains(where: { $0 > 0 }) else {
                throw invalid("node \(node) has class counts \(Array(counts)): need counts ≥ 0, not all 0")
            }
            if left[node] == -1 || right[node] == -1 || feature[node] == -1 {
                guard left[node] == -1, right[node] == -1, feature[node] == -1 else {
                    throw invalid("node \(node) is half a leaf: feature \(feature[node]), left \(left[node]), "
                                  + "right \(right[node]) must all be -1 or none")
                }
                continue
            }
            guard feature[node] >= 0 && Int(feature[node]) < featureCount else {
                throw invalid("node \(node) tests feature \(feature[node]), outside 0..<\(featureCount)")
            }
            guard threshold[node].isFinite else { throw invalid("node \(node) has threshold \(threshold[node])") }
            for child in [left[node], right[node]] {
                guard Int(child) > node && Int(child) < n else {
                    throw invalid("node \(node) has child \(child): children must come after their parent, < \(n)")
                }
                parents[Int(child)] += 1
            }
            for c in 0..<classCount {
                // In Int: two Int32 counts may overflow Int32.
                let sum = Int(classCounts[Int(left[node]) * classCount + c])
                    + Int(classCounts[Int(right[node]) * classCount + c])
                guard sum == Int(classCounts[node * classCount + c]) else {
                    throw invalid("node \(node): class \(c) count \(classCounts[node * classCount + c]) is not the sum "
                                  + "of its children's (\(sum))")
                }
            }
        }
        if let orphan = parents.dropFirst().firstIndex(where: { $0 != 1 }) {
            throw invalid("node \(orphan) has \(parents[orphan]) parents; every node but the root needs exactly one")
        }
        // Every count is at most the root's (children sum to their parent), so bounding the root's total bounds
        // every sum the tree computes.
        let rootTotal = classCounts[0..<classCount].reduce(0) { $0 + Int($1) }
        guard rootTotal <= Self.maximumSampleCount else {
            throw invalid("the root counts \(rootTotal) training samples; a tree holds at most \(Self.maximumSampleCount)")
        }
        self.init(unchecked: featureCount, classCount, feature, threshold, left, right, classCounts)
    }

    /// Arrays the tree builder produced, correct by construction.
    init(unchecked featureCount: Int, _ classCount: Int, _ feature: [Int32], _ threshold: [Float],
         _ left: [Int32], _ right: [Int32], _ classCounts: [Int32]) {
        self.featureCount = featureCount
        self.classCount = classCount
        self.feature = feature
        self.threshold = threshold
        self.left = left
        self.right = right
        self.classCounts = classCounts
    }

    /// True when `node` has no children.
    public func isLeaf(_ node: Int) -> Bool { left[node] < 0 }

    /// Number of leaves (each is one learned rule's conclusion).
    public var leafCount: Int { left.lazy.filter { $0 < 0 }.count }

    /// Depth of each node (root 0). `[nodeCount]`.
    public var nodeDepths: [Int] {
        var depth = [Int](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount where !isLeaf(node) {
            depth[Int(left[node])] = depth[node] + 1
            depth[Int(right[node])] = depth[node] + 1
        }
        return depth
    }

    /// Length of the longest root-to-leaf path in splits (a single leaf has depth 0).
    public var depth: Int { nodeDepths.max() ?? 0 }

    /// The class counts of `node`, `classCount` values.
    public func counts(of node: Int) -> [Int] {
        classCounts[(node * classCount)..<((node + 1) * classCount)].map(Int.init)
    }
}

/// A tree could not be rebuilt from stored arrays.
public enum TreeError: Error, CustomStringConvertible, Equatable {
    /// The node arrays do not describe one valid tree.
    case invalidNodes(reason: String)

    public var description: String {
        switch self {
        case let .invalidNodes(reason): "invalid decision-tree arrays: \(reason)"
        }
    }
}
