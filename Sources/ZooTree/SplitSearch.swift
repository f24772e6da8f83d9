/// Exact split search on one feature from its per-class histogram over 256 bins.
///
/// For a node with class counts `c` split into left `l` and right `r = c − l`, the search maximises a score that
/// orders splits exactly as the weighted child impurity `n_l · impurity(l) + n_r · impurity(r)` (lowest first):
/// - Gini: `Σ l_k² / n_l + Σ r_k² / n_r`, computed as one exact Int64 fraction and one Double division (exact
///   for nodes of up to about 2 million samples);
/// - entropy: `Σ l_k log₂ l_k + Σ r_k log₂ r_k − n_l log₂ n_l − n_r log₂ n_r` (from a table of `x log₂ x`).
///
/// Candidates are the gaps between consecutive non-empty bins of the node, so this is the same search as trying
/// every byte value as a threshold. Between non-empty bins `a < b` the split is "bin ≤ ⌊(a + b) / 2⌋", the
/// integer form of scikit-learn's midpoint threshold. Ties: the lowest threshold within a feature, then the
/// lowest feature index.

/// The best split found so far: left is "bin of `feature` ≤ `edge`".
struct FeatureSplit {
    var score = -Double.infinity
    var feature: Int32 = -1
    var edge: Int32 = -1

    /// True for a real split.
    var isValid: Bool { edge >= 0 }

    /// True when `self` should replace `other`: a higher score, or the same score on a lower feature.
    func beats(_ other: FeatureSplit) -> Bool {
        guard isValid else { return false }
        guard other.isValid else { return true }
        return score > other.score || (score == other.score && feature < other.feature)
    }
}

/// Scores one node's candidate splits; shared read-only by all threads.
///
/// Histogram rows hold `classStride` counts (16, 32 or 64: the class count rounded up, zero-padded), so that a
/// row is one SIMD vector and adding a bin to the left side is one instruction.
struct SplitScorer: @unchecked Sendable {
    /// The most classes a tree supports (one histogram row is at most a `SIMD64<Int32>`).
    static let maximumClassCount = 64

    let criterion: SplitCriterion
    let classStride: Int
    let minSamplesLeaf: Int
    /// `x · log₂ x` for `x` in `0...sampleCount` (entropy only).
    let xLogX: UnsafePointer<Double>

    /// The row width for `classCount` classes (at most `maximumClassCount`).
    static func classStride(for classCount: Int) -> Int {
        classCount <= 16 ? 16 : classCount <= 32 ? 32 : 64
    }

    /// The best split of one feature. `histogram` is `[256, classStride]` counts; bit `g` of `groups` says bins
    /// `4g..<4g+4` may be non-empty (the others must be empty); `nodeCounts` are the node's `classStride`
    /// totals over `sampleCount` samples. Returns the split (edge -1 when none is allowed) and the number of
    /// non-empty bins, counted up to the last one scanned (1 means the feature is constant here).
    func scan(histogram: UnsafePointer<Int32>, groups: UInt64, nodeCounts: UnsafePointer<Int32>,
              sampleCount: Int) -> (edge: Int32, score: Double, bins: Int) {
        switch classStride {
        case 16: scan(SIMD16<Int32>.self, histogram, groups, nodeCounts, sampleCount)
        case 32: scan(SIMD32<Int32>.self, histogram, groups, nodeCounts, sampleCount)
        default: scan(SIMD64<Int32>.self, histogram, groups, nodeCounts, sampleCount)
        }
    }

    @inline(__always)
    private func scan<Row: SIMD>(_: Row.Type, _ histogram: UnsafePointer<Int32>, _ groups: UInt64,
                                 _ nodeCounts: UnsafePointer<Int32>, _ sampleCount: Int)
        -> (edge: Int32, score: Double, bins: Int) where Row.Scalar == Int32 {
        let node = UnsafeRawPointer(nodeCounts).loadUnaligned(as: Row.self)
        // Squares of counts up to 46340 fit Int32, and so do their sums over the node.
        let smallCounts = sampleCount <= 46340
        var left = Row.zero
        var leftCount = 0
        var previous = -1
        var bins = 0
        var best = (edge: Int32(-1), score: -Double.infinity)
        var remaining = groups
        scanning: while remaining != 0 {
            let group = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            for bin in (group &* 4)..<(group &* 4 &+ 4) {
                let row = UnsafeRawPointer(histogram + bin &* Row.scalarCount).loadUnaligned(as: Row.self)
                let binCount = Int(row.wrappedSum())
                if binCount == 0 { continue }
                bins &+= 1
                if previous >= 0 {
                    let rightCount = sampleCount &- leftCount
                    if rightCount < minSamplesLeaf { break scanning }
                    if leftCount >= minSamplesLeaf {
                        let score = self.score(left: left, right: node &- left, leftCount: leftCount,
                                               rightCount: rightCount, smallCounts: smallCounts)
                        if score > best.score { best = (Int32((previous &+ bin) >> 1), score) }
                    }
                }
                left &+= row
                leftCount &+= binCount
                previous = bin
            }
        }
        return (best.edge, best.score, bins)
    }

    /// The score of one candidate (higher is better; see the file header). For Gini it is the exact rational
    /// `(Σl² · n_r + Σr² · n_l) / (n_l · n_r)` rounded once, so mathematically equal splits score equal.
    @inline(__always)
    func score<Row: SIMD>(left: Row, right: Row, leftCount: Int, rightCount: Int, smallCounts: Bool) -> Double
        where Row.Scalar == Int32 {
        switch criterion {
        case .gini:
            var leftSquares: Int64 = 0
            var rightSquares: Int64 = 0
            if smallCounts {
                leftSquares = Int64((left &* left).wrappedSum())
                rightSquares = Int64((right &* right).wrappedSum())
            } else {
                for k in 0..<Row.scalarCount {
                    leftSquares &+= Int64(left[k]) &* Int64(left[k])
                    rightSquares &+= Int64(right[k]) &* Int64(right[k])
                }
            }
            let (nLeft, nRight) = (Int64(leftCount), Int64(rightCount))
            return Double(leftSquares &* nRight &+ rightSquares &* nLeft) / Double(nLeft &* nRight)
        case .entropy:
            var sum = 0.0
            for k in 0..<Row.scalarCount { sum += xLogX[Int(left[k])] + xLogX[Int(right[k])] }
            return sum - xLogX[leftCount] - xLogX[rightCount]
        }
    }
}
