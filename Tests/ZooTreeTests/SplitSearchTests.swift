import Testing
import ZooCore
import ZooTree

/// The best split of some samples found by trying every byte value of every feature, scored with the
/// textbook weighted impurity `(n_l · impurity(l) + n_r · impurity(r)) / n`. Ties within 1e-12 go to the lowest
/// feature, then the lowest threshold; the threshold is reported as the tree stores it, halfway between the
/// largest left value `a` and the smallest right value `b`: `⌊(a + b) / 2⌋`.
func bruteForceSplit(_ data: RandomBytes, samples: [Int], criterion: SplitCriterion, minSamplesLeaf: Int)
    -> (feature: Int, threshold: Int, impurity: Double)? {
    var best: (feature: Int, threshold: Int, impurity: Double)?
    for feature in 0..<data.featureCount {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: data.classCount), count: 256)
        for sample in samples { counts[data.value(sample, feature)][data.labels[sample]] += 1 }
        let present = (0..<256).filter { counts[$0].reduce(0, +) > 0 }
        for t in 0..<255 {
            var left = [Int](repeating: 0, count: data.classCount)
            for value in 0...t { for k in 0..<data.classCount { left[k] += counts[value][k] } }
            let total = (0..<data.classCount).map { k in (0..<256).reduce(0) { $0 + counts[$1][k] } }
            let right = zip(total, left).map { $0 - $1 }
            let (nLeft, nRight) = (left.reduce(0, +), right.reduce(0, +))
            guard nLeft >= minSamplesLeaf, nRight >= minSamplesLeaf else { continue }
            let impurity = (Double(nLeft) * criterion.impurity(of: left)
                + Double(nRight) * criterion.impurity(of: right)) / Double(samples.count)
            let a = present.last { $0 <= t }!
            let b = present.first { $0 > t }!
            let threshold = (a + b) / 2
            if let current = best {
                let better = impurity < current.impurity - 1e-12
                let tiedAndEarlier = abs(impurity - current.impurity) <= 1e-12
                    && (feature, threshold) < (current.feature, current.threshold)
                guard better || tiedAndEarlier else { continue }
            }
            best = (feature, threshold, impurity)
        }
    }
    return best
}

/// The training samples reaching each node of `tree`, routed with the Float inputs as `forward` does.
func samplesPerNode(_ nodes: TreeNodes, _ data: RandomBytes) -> [[Int]] {
    var reached = [[Int]](repeating: [], count: nodes.nodeCount)
    for sample in 0..<data.labels.count {
        var node = 0
        reached[0].append(sample)
        while !nodes.isLeaf(node) {
            let value = Float(data.value(sample, Int(nodes.feature[node]))) / 255
            node = Int(value <= nodes.threshold[node] ? nodes.left[node] : nodes.right[node])
            reached[node].append(sample)
        }
    }
    return reached
}

/// The byte threshold `t` of a tree threshold `(t + 0.5) / 255`.
func byteThreshold(_ threshold: Float) -> Int { Int((threshold * 255 - 0.5).rounded()) }

@Suite struct SplitSearchTests {
    /// 60 samples: every node counts on the fly. 6000 samples: the top nodes read their splits from stored
    /// histograms and the larger child's histogram is derived by subtraction.
    @Test(arguments: [(60, UInt64(1)), (300, 2), (6000, 3)], [SplitCriterion.gini, .entropy])
    func everySplitMatchesBruteForce(sizeAndSeed: (Int, UInt64), criterion: SplitCriterion) throws {
        for minSamplesLeaf in [1, 5] {
            let data = RandomBytes(samples: sizeAndSeed.0, seed: sizeAndSeed.1)
            let tree = DecisionTree(.init(criterion: criterion, maxDepth: 4, minSamplesLeaf: minSamplesLeaf))
            try tree.fit(pixels: data.pixels, featureCount: data.featureCount, labels: data.labels,
                         classCount: data.classCount)
            let nodes = try #require(tree.nodes)
            let reached = samplesPerNode(nodes, data)
            var checked = 0
            for node in 0..<nodes.nodeCount where !nodes.isLeaf(node) {
                let expected = try #require(bruteForceSplit(data, samples: reached[node], criterion: criterion,
                                                            minSamplesLeaf: minSamplesLeaf))
                let (left, right) = (Int(nodes.left[node]), Int(nodes.right[node]))
                let impurity = (Double(reached[left].count) * criterion.impurity(of: nodes.counts(of: left))
                    + Double(reached[right].count) * criterion.impurity(of: nodes.counts(of: right)))
                    / Double(reached[node].count)
                #expect(Int(nodes.feature[node]) == expected.feature, "node \(node)")
                #expect(byteThreshold(nodes.threshold[node]) == expected.threshold, "node \(node)")
                #expect(abs(impurity - expected.impurity) < 1e-12, "node \(node)")
                #expect(nodes.counts(of: left).reduce(0, +) == reached[left].count)
                checked += 1
            }
            #expect(checked >= 7)
            // A leaf above the depth limit is pure or has no allowed split.
            let depths = nodes.nodeDepths
            for node in 0..<nodes.nodeCount where nodes.isLeaf(node) && depths[node] < 4 {
                let pure = nodes.counts(of: node).filter { $0 > 0 }.count == 1
                let splittable = reached[node].count >= 2 * minSamplesLeaf
                    && bruteForceSplit(data, samples: reached[node], criterion: criterion,
                                       minSamplesLeaf: minSamplesLeaf) != nil
                #expect(pure || !splittable, "leaf \(node) could have been split")
            }
        }
    }
}
