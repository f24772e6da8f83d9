import Testing
import ZooCore
import ZooTensor
import ZooTree

@Suite struct TreeNodesTests {
    private func fitted(samples: Int = 500, seed: UInt64 = 21) throws -> (DecisionTree, RandomBytes) {
        let data = RandomBytes(samples: samples, seed: seed)
        let tree = DecisionTree(.init(maxDepth: 6))
        try tree.fit(data.inputs, data.labels, classCount: data.classCount)
        return (tree, data)
    }

    @Test func floatAndBytePathsGrowTheSameTree() throws {
        let (tree, data) = try fitted()
        let fromBytes = DecisionTree(.init(maxDepth: 6))
        try fromBytes.fit(pixels: data.pixels, featureCount: data.featureCount, labels: data.labels,
                          classCount: data.classCount)
        #expect(tree.nodes == fromBytes.nodes)
        #expect(try tree.predict(pixels: data.pixels) == tree.predict(data.inputs))
    }

    @Test func forwardGivesLeafFrequencies() throws {
        let (tree, data) = try fitted()
        let probabilities = try tree.forward(data.inputs)
        #expect(probabilities.shape == [data.labels.count, data.classCount])
        for row in probabilities.sum(axis: 1).scalars { #expect(abs(row - 1) < 1e-5) }
        let loss = tree.loss(probabilities, data.labels)
        #expect(loss.isFinite && loss > 0)
        #expect(tree.parameterCount == tree.nodes!.nodeCount)
        #expect(tree.description.contains("nodes"))
    }

    @Test func arraysRoundTripThroughTheValidatingInit() throws {
        let (tree, data) = try fitted()
        let nodes = try #require(tree.nodes)
        let rebuilt = try TreeNodes(featureCount: nodes.featureCount, classCount: nodes.classCount,
                                    feature: nodes.feature, threshold: nodes.threshold, left: nodes.left,
                                    right: nodes.right, classCounts: nodes.classCounts)
        #expect(rebuilt == nodes)
        #expect(try DecisionTree(nodes: rebuilt).forward(data.inputs) == tree.forward(data.inputs))
    }

    @Test func invalidArraysAreRejected() throws {
        let (tree, _) = try fitted()
        let n = try #require(tree.nodes)
        func make(feature: [Int32]? = nil, threshold: [Float]? = nil, left: [Int32]? = nil, right: [Int32]? = nil,
                  counts: [Int32]? = nil, featureCount: Int? = nil) throws -> TreeNodes {
            try TreeNodes(featureCount: featureCount ?? n.featureCount, classCount: n.classCount,
                          feature: feature ?? n.feature, threshold: threshold ?? n.threshold, left: left ?? n.left,
                          right: right ?? n.right, classCounts: counts ?? n.classCounts)
        }
        var backwards = n.left
        backwards[Int(n.left[0])] = 0
        var selfLoop = n.right
        selfLoop[0] = 0
        var halfLeaf = n.right
        halfLeaf[try #require((1..<n.nodeCount).first { !n.isLeaf($0) })] = -1
        var badCounts = n.classCounts
        badCounts[0] += 1
        var nanThreshold = n.threshold
        nanThreshold[0] = .nan
        let attempts: [(String, () throws -> TreeNodes)] = [
            ("short feature array", { try make(feature: Array(n.feature.dropLast())) }),
            ("child before parent", { try make(left: backwards) }),
            ("node is its own child", { try make(right: selfLoop) }),
            ("half a leaf", { try make(right: halfLeaf) }),
            ("counts do not add up", { try make(counts: badCounts) }),
            ("NaN threshold", { try make(threshold: nanThreshold) }),
            ("feature out of range", { try make(featureCount: Int(n.feature.max()!)) }),
        ]
        for (problem, attempt) in attempts {
            #expect(throws: TreeError.self, "\(problem)") { _ = try attempt() }
        }
    }

    @Test func arbitraryFloatsAreBinnedByQuantiles() throws {
        var generator = SeededGenerator(seed: 5)
        // 2000 distinct values per feature (more than 256 bins) and a label that depends on them smoothly.
        let inputs = Tensor.normal([2000, 4], using: &generator)
        let labels = (0..<2000).map { inputs[$0, 0] + 0.5 * inputs[$0, 1] > 0.3 ? 1 : 0 }
        let tree = DecisionTree(.init(maxDepth: 8))
        try tree.fit(inputs, labels)
        #expect(try accuracy(predicted: tree.predict(inputs), labels: labels) > 0.95)
        // Few distinct values: each gets its own bin, so the fully grown tree separates them all.
        let coarse = Tensor(shape: [300, 2], values: (0..<600).map { Float($0 % 37) * 0.173 - 3 })
        let coarseLabels = (0..<300).map { ($0 * 2 % 37) % 3 }
        let exact = DecisionTree()
        try exact.fit(coarse, coarseLabels)
        #expect(try accuracy(predicted: exact.predict(coarse), labels: coarseLabels) == 1)
    }
}
