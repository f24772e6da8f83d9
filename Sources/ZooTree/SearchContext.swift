import CKernels

/// What the split-search threads share: the binned data and the samples' order. Each thread brings its own
/// scratch histogram and writes only the entries of its own features and samples.
///
/// Histograms are `[256 bins, classStride]` Int32 counts per feature (see `SplitScorer`).
struct SearchContext: @unchecked Sendable {
    /// `[features, samples]` bins, indexed by original sample index.
    let columns: UnsafePointer<UInt8>
    /// `[samples, features]` bins in the original order.
    let sourceRows: UnsafePointer<UInt8>
    /// `[samples, features]` bins, rows moved with `indices` so a small subtree's rows are contiguous: its
    /// nodes read these (a few KB per sample, in cache) instead of gathering from 784 far-apart columns.
    /// Filled only for set-aside subtrees.
    let rows: UnsafeMutablePointer<UInt8>
    let sampleCount: Int
    let featureCount: Int
    let classStride: Int
    /// Sample indices, partitioned in place so each node owns a contiguous range.
    let indices: UnsafeMutablePointer<Int32>
    /// The label of `indices[i]` at `labels[i]`, moved with it.
    let labels: UnsafeMutablePointer<Int32>
    let scorer: SplitScorer

    /// Counts in one feature's histogram.
    var histogramSize: Int { 256 * classStride }

    /// The best split among `features[slots]` of the node `start..<end` with class totals `nodeCounts`
    /// (`classStride` values), read from the node's `histogram` when it has one, else counted from its rows.
    /// Sets `constant[feature]` for features with a single value in the node. `scratch` is a zeroed
    /// `[256, classStride]` histogram, left zeroed. Counts read `rows` when `rowsInPlace`, else `columns`.
    func search(features: UnsafePointer<Int32>, slots: Range<Int>, histogram: UnsafePointer<Int32>?,
                start: Int, end: Int, nodeCounts: UnsafePointer<Int32>, constant: UnsafeMutablePointer<Bool>,
                scratch local: UnsafeMutablePointer<Int32>, rowsInPlace: Bool) -> FeatureSplit {
        let stride = classStride
        var best = FeatureSplit()
        for slot in slots {
            let feature = Int(features[slot])
            let counts: UnsafePointer<Int32>
            var groups = UInt64.max
            if let histogram {
                counts = histogram + feature * histogramSize
            } else {
                groups = 0
                if rowsInPlace {
                    let width = featureCount
                    var row = UnsafePointer(rows + (start &* width &+ feature))
                    for i in start..<end {
                        let bin = Int(row.pointee)
                        row += width
                        local[bin &* stride &+ Int(labels[i])] &+= 1
                        groups |= 1 &<< UInt64(bin >> 2)
                    }
                } else {
                    let column = columns + feature &* sampleCount
                    for i in start..<end {
                        let bin = Int(column[Int(indices[i])])
                        local[bin &* stride &+ Int(labels[i])] &+= 1
                        groups |= 1 &<< UInt64(bin >> 2)
                    }
                }
                counts = UnsafePointer(local)
            }
            let result = scorer.scan(histogram: counts, groups: groups, nodeCounts: nodeCounts,
                                     sampleCount: end - start)
            constant[feature] = result.bins <= 1
            let candidate = FeatureSplit(score: result.score, feature: Int32(feature), edge: result.edge)
            if candidate.beats(best) { best = candidate }
            if histogram == nil { clear(local, groups: groups) }
        }
        return best
    }

    /// Zeroes the bins of a scratch histogram that `groups` marks.
    private func clear(_ histogram: UnsafeMutablePointer<Int32>, groups: UInt64) {
        var remaining = groups
        while remaining != 0 {
            let group = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            (histogram + group &* 4 &* classStride).update(repeating: 0, count: 4 * classStride)
        }
    }

    /// Counts samples `start..<end` into `histogram` (`[features, 256, classStride]`) for `features[slots]`,
    /// subtracts each result from `parent`'s, turning the parent's histogram into the other child's, and while
    /// a feature's two histograms are in cache scans them for the best split of the counted node and of the
    /// derived one (when asked). Four features per pass over the samples: the index and label loads are shared
    /// and four independent increment chains overlap (MNIST's many zero pixels would otherwise hit one counter
    /// back to back).
    func count(features: UnsafePointer<Int32>, slots: Range<Int>, start: Int, end: Int,
               into histogram: UnsafeMutablePointer<Int32>, subtractingFrom parent: UnsafeMutablePointer<Int32>?,
               searchingCounted: NodeSearch? = nil, searchingDerived: NodeSearch? = nil)
        -> (counted: FeatureSplit, derived: FeatureSplit) {
        let (size, stride) = (histogramSize, classStride)
        var best = (counted: FeatureSplit(), derived: FeatureSplit())
        var slot = slots.lowerBound
        while slot < slots.upperBound {
            let group = Swift.min(4, slots.upperBound - slot)
            var targets = [UnsafeMutablePointer<Int32>](), sources = [UnsafePointer<UInt8>]()
            for j in 0..<4 {
                let feature = Int(features[slot + Swift.min(j, group - 1)])
                targets.append(histogram + feature * size)
                sources.append(columns + feature * sampleCount)
            }
            for j in 0..<group { targets[j].update(repeating: 0, count: size) }
            let (h0, h1, h2, h3) = (targets[0], targets[1], targets[2], targets[3])
            let (c0, c1, c2, c3) = (sources[0], sources[1], sources[2], sources[3])
            var occupied = [UInt64](repeating: 0, count: 4)
            if group == 4 {
                var (g0, g1, g2, g3) = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
                for i in start..<end {
                    let (sample, label) = (Int(indices[i]), Int(labels[i]))
                    let (b0, b1, b2, b3) = (Int(c0[sample]), Int(c1[sample]), Int(c2[sample]), Int(c3[sample]))
                    h0[b0 &* stride &+ label] &+= 1
                    h1[b1 &* stride &+ label] &+= 1
                    h2[b2 &* stride &+ label] &+= 1
                    h3[b3 &* stride &+ label] &+= 1
                    g0 |= 1 &<< UInt64(b0 >> 2)
                    g1 |= 1 &<< UInt64(b1 >> 2)
                    g2 |= 1 &<< UInt64(b2 >> 2)
                    g3 |= 1 &<< UInt64(b3 >> 2)
                }
                occupied = [g0, g1, g2, g3]
            } else {
                for j in 0..<group {
                    let (target, source) = (targets[j], sources[j])
                    var groups: UInt64 = 0
                    for i in start..<end {
                        let bin = Int(source[Int(indices[i])])
                        target[bin &* stride &+ Int(labels[i])] &+= 1
                        groups |= 1 &<< UInt64(bin >> 2)
                    }
                    occupied[j] = groups
                }
            }
            for j in 0..<group {
                let feature = Int(features[slot + j])
                if let search = searchingCounted {
                    consider(search, feature: feature, histogram: targets[j], groups: occupied[j], &best.counted)
                }
                guard let parent else { continue }
                let (other, counts) = (parent + feature * size, targets[j])
                zoo_subtract_counts(counts, other, size)
                if let search = searchingDerived {
                    consider(search, feature: feature, histogram: other, groups: .max, &best.derived)
                }
            }
            slot += group
        }
        return best
    }

    /// Scans one feature's histogram for `search`'s node and keeps the split if it beats `best`.
    @inline(__always)
    private func consider(_ search: NodeSearch, feature: Int, histogram: UnsafePointer<Int32>, groups: UInt64,
                          _ best: inout FeatureSplit) {
        let result = scorer.scan(histogram: histogram, groups: groups, nodeCounts: search.nodeCounts,
                                 sampleCount: search.sampleCount)
        search.constant[feature] = result.bins <= 1
        let candidate = FeatureSplit(score: result.score, feature: Int32(feature), edge: result.edge)
        if candidate.beats(best) { best = candidate }
    }
}

/// A node whose split is searched while its histograms are built: its `classStride` class totals, its size,
/// and where to mark its constant features (`[featureCount]`).
struct NodeSearch {
    let nodeCounts: UnsafePointer<Int32>
    let sampleCount: Int
    let constant: UnsafeMutablePointer<Bool>
}
