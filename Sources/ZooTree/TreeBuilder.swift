import Foundation
import ZooTensor

/// Grows one CART tree depth-first (node ids in pre-order) on binned, feature-major data.
///
/// Speed comes from three things. Large nodes keep a histogram `[features, 256 bins, classes]`: their split is
/// read off it without touching the samples, and of the two children only the smaller one is counted from its
/// samples; the larger one's histogram is the parent's minus the smaller's, computed in the parent's buffer
/// (the histogram-subtraction trick). Small nodes count each feature on the fly into a per-thread histogram and
/// visit only the non-empty bins. Sample indices (and their labels) are partitioned in place, and a feature
/// found constant at a node is never looked at again below it.
///
/// Both cores: a large node spreads its features over the cores (see `workPerChunk`); nodes smaller
/// than `histogramMinimumSamples` are set aside and grown afterwards as independent subtrees, several at once
/// (they own disjoint sample ranges). Each subtree is appended after the nodes grown before it, in the order the
/// subtrees were set aside, so the result does not depend on scheduling.
final class TreeBuilder: @unchecked Sendable {
    /// Nodes with at least this many samples keep a full histogram (building one costs `samples x features`
    /// counts; reading a split off it `256 x classes x features`).
    static let histogramMinimumSamples = 2048
    /// Histogram counts per parallel chunk of features (about 0.2-0.5 ms: smaller chunks lose to the thread
    /// wake-up). Up to `chunkCount` chunks, several per core, so that a core that finishes early (or another
    /// process's job) does not leave the other one waiting.
    static let workPerChunk = 500_000

    /// The grown tree, in bins: a node sends bin ≤ `edge[node]` of `feature[node]` left. Parents come before
    /// their children.
    struct Grown {
        var feature: [Int32] = []
        var edge: [Int32] = []
        var left: [Int32] = []
        var right: [Int32] = []
        var classCounts: [Int32] = []
    }

    private struct PendingNode {
        var start: Int
        var end: Int
        var depth: Int
        var parent: Int32
        var isLeft: Bool
        var counts: [Int32]
        /// Features not known to be constant in this node, ascending.
        var features: [Int32]
        /// `[featureCount, 256, classStride]` counts of this node's samples, for large nodes.
        var histogram: UnsafeMutablePointer<Int32>?
        /// The node's best split and constant features, when they were found while its parent's histograms
        /// were hot in cache.
        var presearched: (split: FeatureSplit, constant: [Int32])?
        var sampleCount: Int { end - start }
    }

    private let configuration: DecisionTree.Configuration
    private let context: SearchContext
    private let featureCount: Int
    private let sampleCount: Int
    private let classCount: Int
    /// Classes rounded up to 16, 32 or 64: the width of one histogram bin.
    private let classStride: Int
    private let featuresPerNode: Int
    private let chunkCount = 4 * Swift.max(1, processorCount)
    private let xLogX: UnsafeMutablePointer<Double>
    private var freeHistograms: [UnsafeMutablePointer<Int32>] = []

    /// `columns` (`[featureCount, sampleCount]` bins) and `rows` (the same bins row-major) must outlive the
    /// builder.
    init(columns: UnsafePointer<UInt8>, rows: UnsafePointer<UInt8>, sampleCount: Int, featureCount: Int, labels: [Int],
         classCount: Int, configuration: DecisionTree.Configuration) {
        self.configuration = configuration
        self.featureCount = featureCount
        self.sampleCount = sampleCount
        self.classCount = classCount
        classStride = SplitScorer.classStride(for: classCount)
        featuresPerNode = configuration.maxFeatures.resolved(featureCount: featureCount)
        xLogX = .allocate(capacity: sampleCount + 1)
        for x in 0...sampleCount { xLogX[x] = x == 0 ? 0 : Double(x) * log2(Double(x)) }
        let indices = UnsafeMutablePointer<Int32>.allocate(capacity: sampleCount)
        let sampleLabels = UnsafeMutablePointer<Int32>.allocate(capacity: sampleCount)
        for i in 0..<sampleCount {
            indices[i] = Int32(i)
            sampleLabels[i] = Int32(labels[i])
        }
        let scorer = SplitScorer(criterion: configuration.criterion, classStride: classStride,
                                 minSamplesLeaf: configuration.minSamplesLeaf, xLogX: xLogX)
        context = SearchContext(columns: columns, sourceRows: rows,
                                rows: .allocate(capacity: sampleCount * featureCount), sampleCount: sampleCount, featureCount: featureCount,
                                classStride: classStride,
                                indices: indices, labels: sampleLabels, scorer: scorer)
    }

    deinit {
        xLogX.deallocate()
        context.indices.deallocate()
        context.rows.deallocate()
        context.labels.deallocate()
        for histogram in freeHistograms { histogram.deallocate() }
    }

    /// Grows the whole tree.
    func grow() -> Grown {
        var rootCounts = [Int32](repeating: 0, count: classCount)
        for i in 0..<sampleCount { rootCounts[Int(context.labels[i])] += 1 }
        var root = PendingNode(start: 0, end: sampleCount, depth: 0, parent: -1, isLeft: false, counts: rootCounts,
                               features: Array(0..<Int32(featureCount)), histogram: nil)
        if needsHistogram(root) { root.histogram = countedHistogram(root) }
        let workspace = Workspace(featureCount: featureCount, histogramSize: 256 * classStride,
                                  scratchCount: chunkCount, seed: configuration.seed)
        var (grown, setAside) = grow(from: root, workspace, settingAsideSmallNodes: true)

        // The small subtrees, in parallel; each gets its own workspace and random stream.
        nonisolated(unsafe) var subtrees = [Grown](repeating: Grown(), count: setAside.count)
        nonisolated(unsafe) let roots = setAside
        subtrees.withUnsafeMutableBufferPointer { subtrees in
            nonisolated(unsafe) let output = subtrees.baseAddress!
            parallelFor(roots.count) { [self] index in
                var root = roots[index]
                root.parent = -1
                for i in root.start..<root.end {
                    (context.rows + i * featureCount).update(
                        from: context.sourceRows + Int(context.indices[i]) * featureCount, count: featureCount)
                }
                let workspace = Workspace(featureCount: featureCount, histogramSize: 256 * classStride,
                                          scratchCount: 1, seed: configuration.seed &+ UInt64(index + 1))
                output[index] = grow(from: root, workspace, settingAsideSmallNodes: false).grown
            }
        }
        for (root, subtree) in zip(setAside, subtrees) {
            let offset = Int32(grown.feature.count)
            if root.isLeft { grown.left[Int(root.parent)] = offset } else { grown.right[Int(root.parent)] = offset }
            grown.feature += subtree.feature
            grown.edge += subtree.edge
            grown.left += subtree.left.map { $0 < 0 ? $0 : $0 + offset }
            grown.right += subtree.right.map { $0 < 0 ? $0 : $0 + offset }
            grown.classCounts += subtree.classCounts
        }
        return grown
    }

    /// Grows the subtree under `root` depth-first (node ids in pre-order from 0). With `settingAsideSmallNodes`,
    /// non-root nodes below `histogramMinimumSamples` are not grown but returned, to be grown in parallel, and
    /// the samples' rows are not moved (a set-aside subtree gathers its rows first); without it, the rows of
    /// `root`'s samples must be in place.
    private func grow(from root: PendingNode, _ workspace: Workspace, settingAsideSmallNodes: Bool)
        -> (grown: Grown, setAside: [PendingNode]) {
        var grown = Grown()
        var setAside = [PendingNode]()
        var stack = [root]
        while let node = stack.popLast() {
            if settingAsideSmallNodes && node.parent >= 0 && node.sampleCount < Self.histogramMinimumSamples {
                setAside.append(node)
                continue
            }
            let id = Int32(grown.feature.count)
            if node.parent >= 0 {
                if node.isLeft { grown.left[Int(node.parent)] = id } else { grown.right[Int(node.parent)] = id }
            }
            grown.feature.append(-1)
            grown.edge.append(-1)
            grown.left.append(-1)
            grown.right.append(-1)
            grown.classCounts += node.counts
            guard !isTerminal(node), let children = split(node, workspace, rowsInPlace: !settingAsideSmallNodes) else {
                release(node.histogram)
                continue
            }
            grown.feature[Int(id)] = children.feature
            grown.edge[Int(id)] = children.edge
            var (left, right) = (children.left, children.right)
            left.parent = id
            right.parent = id
            assignHistograms(parent: node.histogram, &left, &right)
            stack.append(right)
            stack.append(left)
        }
        return (grown, setAside)
    }

    // MARK: Splitting one node

    /// Finds the node's best split, partitions its samples and returns the two children (without histograms),
    /// or nil when no split is allowed.
    private func split(_ node: PendingNode, _ workspace: Workspace, rowsInPlace: Bool)
        -> (feature: Int32, edge: Int32, left: PendingNode, right: PendingNode)? {
        let constant = workspace.constantFlags
        let (best, evaluated): (FeatureSplit, [Int32])
        if let presearched = node.presearched {
            for feature in presearched.constant { constant[Int(feature)] = true }
            (best, evaluated) = presearched
        } else {
            (best, evaluated) = bestSplit(node, workspace, rowsInPlace: rowsInPlace)
        }
        let childFeatures = node.features.filter { !constant[Int($0)] }
        for feature in evaluated { constant[Int(feature)] = false }
        guard best.isValid else { return nil }
        let middle = partition(start: node.start, end: node.end, feature: Int(best.feature), edge: best.edge,
                               rowBuffer: rowsInPlace ? workspace.rowBuffer : nil)
        var leftCounts = [Int32](repeating: 0, count: classCount)
        for i in node.start..<middle { leftCounts[Int(context.labels[i])] += 1 }
        let rightCounts = zip(node.counts, leftCounts).map { $0 - $1 }
        if configuration.minImpurityDecrease > 0
            && impurityDecrease(node.counts, leftCounts, rightCounts) + Double.ulpOfOne
            < configuration.minImpurityDecrease {
            return nil
        }
        let left = PendingNode(start: node.start, end: middle, depth: node.depth + 1, parent: -1, isLeft: true,
                               counts: leftCounts, features: childFeatures, histogram: nil)
        let right = PendingNode(start: middle, end: node.end, depth: node.depth + 1, parent: -1, isLeft: false,
                                counts: rightCounts, features: childFeatures, histogram: nil)
        return (best.feature, best.edge, left, right)
    }

    /// scikit-learn's weighted impurity decrease of a split, the quantity `minImpurityDecrease` bounds.
    private func impurityDecrease(_ counts: [Int32], _ leftCounts: [Int32], _ rightCounts: [Int32]) -> Double {
        let criterion = configuration.criterion
        func weighted(_ part: [Int32]) -> Double {
            let ints = part.map(Int.init)
            return Double(ints.reduce(0, +)) * criterion.impurity(of: ints)
        }
        return (weighted(counts) - weighted(leftCounts) - weighted(rightCounts)) / Double(sampleCount)
    }

    /// The best split over the node's features (all of them, or `maxFeatures` drawn at random: drawing goes on
    /// past constant features until that many non-constant ones were tried, as scikit-learn does). Marks
    /// constant features in the workspace's `constantFlags` and returns which features were evaluated.
    private func bestSplit(_ node: PendingNode, _ workspace: Workspace, rowsInPlace: Bool)
        -> (FeatureSplit, [Int32]) {
        if featuresPerNode >= node.features.count {
            return (search(node.features, 0..<node.features.count, node, workspace, rowsInPlace: rowsInPlace),
                    node.features)
        }
        var order = node.features
        var best = FeatureSplit()
        var drawn = 0
        var nonConstant = 0
        while nonConstant < featuresPerNode && drawn < order.count {
            let batch = drawn..<Swift.min(order.count, drawn + featuresPerNode - nonConstant)
            for i in batch { order.swapAt(i, Int.random(in: i..<order.count, using: &workspace.generator)) }
            let candidate = search(order, batch, node, workspace, rowsInPlace: rowsInPlace)
            if candidate.beats(best) { best = candidate }
            nonConstant += batch.count - batch.filter { workspace.constantFlags[Int(order[$0])] }.count
            drawn = batch.upperBound
        }
        return (best, Array(order[0..<drawn]))
    }

    /// The best split over `features[slots]`, in parallel chunks when the node is large.
    private func search(_ features: [Int32], _ slots: Range<Int>, _ node: PendingNode, _ workspace: Workspace,
                        rowsInPlace: Bool) -> FeatureSplit {
        let work = slots.count * (node.histogram == nil ? node.sampleCount : 256 * classStride)
        let chunks = Swift.max(1, Swift.min(work / Self.workPerChunk, workspace.scratch.count, slots.count))
        var results = [FeatureSplit](repeating: FeatureSplit(), count: chunks)
        features.withUnsafeBufferPointer { features in
            (node.counts + [Int32](repeating: 0, count: classStride - classCount)).withUnsafeBufferPointer { counts in
                results.withUnsafeMutableBufferPointer { results in
                    nonisolated(unsafe) let (featurePointer, countPointer) = (features.baseAddress!, counts.baseAddress!)
                    nonisolated(unsafe) let (resultPointer, flags) = (results.baseAddress!, workspace.constantFlags)
                    nonisolated(unsafe) let scratch = workspace.scratch
                    nonisolated(unsafe) let histogram = node.histogram
                    let (context, start, end) = (context, node.start, node.end)
                    parallelFor(chunks) { chunk in
                        let range = (slots.lowerBound + slots.count * chunk / chunks)
                            ..< (slots.lowerBound + slots.count * (chunk + 1) / chunks)
                        resultPointer[chunk] = context.search(
                            features: featurePointer, slots: range, histogram: histogram, start: start, end: end,
                            nodeCounts: countPointer, constant: flags, scratch: scratch[chunk],
                            rowsInPlace: rowsInPlace)
                    }
                }
            }
        }
        return results.reduce(FeatureSplit()) { $1.beats($0) ? $1 : $0 }
    }

    /// Moves the samples (indices, labels, and rows when given a row buffer) of `start..<end` whose bin of `feature` is ≤ `edge` to the front; returns where the
    /// right part begins.
    private func partition(start: Int, end: Int, feature: Int, edge: Int32,
                           rowBuffer: UnsafeMutablePointer<UInt8>?) -> Int {
        let column = context.columns + feature * sampleCount
        let (indices, labels, rows, width) = (context.indices, context.labels, context.rows, featureCount)
        var (i, j) = (start, end - 1)
        while i <= j {
            if Int32(column[Int(indices[i])]) <= edge {
                i += 1
            } else {
                (indices[i], indices[j]) = (indices[j], indices[i])
                (labels[i], labels[j]) = (labels[j], labels[i])
                if let rowBuffer {
                    rowBuffer.update(from: rows + i * width, count: width)
                    (rows + i * width).update(from: rows + j * width, count: width)
                    (rows + j * width).update(from: rowBuffer, count: width)
                }
                j -= 1
            }
        }
        return i
    }

    // MARK: Stopping rules and histograms

    /// True when the node must be a leaf: depth limit, too few samples, or pure.
    private func isTerminal(_ node: PendingNode) -> Bool {
        if let maxDepth = configuration.maxDepth, node.depth >= maxDepth { return true }
        let n = node.sampleCount
        if n < configuration.minSamplesSplit || n < 2 * configuration.minSamplesLeaf { return true }
        return node.counts.contains(Int32(n))
    }

    private func needsHistogram(_ node: PendingNode) -> Bool {
        featuresPerNode == featureCount && node.sampleCount >= Self.histogramMinimumSamples && !isTerminal(node)
    }

    /// Gives the children histograms where they pay: the smaller child is counted, the larger one derived
    /// (parent minus smaller), and both children's splits are searched in the same pass, while each feature's
    /// histograms are in cache.
    private func assignHistograms(parent: UnsafeMutablePointer<Int32>?, _ a: inout PendingNode,
                                  _ b: inout PendingNode) {
        func assign(smaller: inout PendingNode, larger: inout PendingNode) {
            let (needSmaller, needLarger) = (needsHistogram(smaller), needsHistogram(larger))
            let (searchSmaller, searchLarger) = (!isTerminal(smaller), !isTerminal(larger))
            if let parent, needLarger || searchSmaller || searchLarger {
                let counted = takeHistogram()
                (smaller.presearched, larger.presearched) = buildHistograms(
                    into: counted, subtractingFrom: parent, features: smaller.features, start: smaller.start,
                    end: smaller.end, searching: (searchSmaller ? smaller : nil, searchLarger ? larger : nil))
                if needLarger { larger.histogram = parent } else { release(parent) }
                if needSmaller { smaller.histogram = counted } else { release(counted) }
                return
            }
            release(parent)
            if needSmaller { smaller.histogram = countedHistogram(smaller) }
            if needLarger { larger.histogram = countedHistogram(larger) }
        }
        if a.sampleCount <= b.sampleCount { assign(smaller: &a, larger: &b) } else { assign(smaller: &b, larger: &a) }
    }

    /// Counts samples `start..<end` into `histogram` for `features` (in parallel when large), subtracts the
    /// result from `parent` if given, and searches the splits of the nodes in `searching`: the counted one
    /// (first) and the one left in `parent` (second).
    @discardableResult
    private func buildHistograms(into histogram: UnsafeMutablePointer<Int32>,
                                 subtractingFrom parent: UnsafeMutablePointer<Int32>?,
                                 features: [Int32], start: Int, end: Int,
                                 searching: (PendingNode?, PendingNode?) = (nil, nil))
        -> (counted: (split: FeatureSplit, constant: [Int32])?, derived: (split: FeatureSplit, constant: [Int32])?) {
        let searches = [searching.0, searching.1]
        let work = features.count * (end - start + (parent == nil ? 0 : 256 * classStride)
            + searches.compactMap { $0 }.count * 256 * classStride)
        let chunks = Swift.max(1, Swift.min(work / Self.workPerChunk, chunkCount, features.count))
        let padding = [Int32](repeating: 0, count: classStride - classCount)
        let nodeCounts = searches.map { ($0?.counts ?? []) + padding }
        // Two halves each: the counted node's, then the derived node's.
        var flags = [Bool](repeating: false, count: 2 * featureCount)
        var results = [FeatureSplit](repeating: FeatureSplit(), count: 2 * chunks)
        let allCounts = nodeCounts[0] + nodeCounts[1]
        features.withUnsafeBufferPointer { features in
            allCounts.withUnsafeBufferPointer { counts in
                flags.withUnsafeMutableBufferPointer { flags in
                    results.withUnsafeMutableBufferPointer { results in
                        nonisolated(unsafe) let (featurePointer, target, source) =
                            (features.baseAddress!, histogram, parent)
                        nonisolated(unsafe) let requests = (0..<2).map { index in
                            searches[index].map {
                                NodeSearch(nodeCounts: counts.baseAddress! + nodeCounts[0].count * index,
                                           sampleCount: $0.sampleCount,
                                           constant: flags.baseAddress! + featureCount * index)
                            }
                        }
                        nonisolated(unsafe) let output = results.baseAddress!
                        let (context, count) = (context, features.count)
                        parallelFor(chunks) { chunk in
                            let found = context.count(
                                features: featurePointer,
                                slots: (count * chunk / chunks)..<(count * (chunk + 1) / chunks),
                                start: start, end: end, into: target, subtractingFrom: source,
                                searchingCounted: requests[0], searchingDerived: requests[1])
                            output[chunk] = found.counted
                            output[chunks + chunk] = found.derived
                        }
                    }
                }
            }
        }
        func presearch(_ index: Int) -> (split: FeatureSplit, constant: [Int32])? {
            guard searches[index] != nil else { return nil }
            let best = results[(chunks * index)..<(chunks * (index + 1))].reduce(FeatureSplit()) {
                $1.beats($0) ? $1 : $0
            }
            return (best, features.filter { flags[featureCount * index + Int($0)] })
        }
        return (presearch(0), presearch(1))
    }

    /// A histogram of `node`'s samples, counted from scratch.
    private func countedHistogram(_ node: PendingNode) -> UnsafeMutablePointer<Int32> {
        let histogram = takeHistogram()
        buildHistograms(into: histogram, subtractingFrom: nil, features: node.features, start: node.start,
                        end: node.end)
        return histogram
    }

    private func takeHistogram() -> UnsafeMutablePointer<Int32> {
        freeHistograms.popLast() ?? .allocate(capacity: featureCount * 256 * classStride)
    }

    private func release(_ histogram: UnsafeMutablePointer<Int32>?) {
        if let histogram { freeHistograms.append(histogram) }
    }
}
