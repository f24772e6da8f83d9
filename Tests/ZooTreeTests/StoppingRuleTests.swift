import Testing
import ZooCore
import ZooTensor
import ZooTree

@Suite struct StoppingRuleTests {
    private func fit(_ data: RandomBytes, _ configuration: DecisionTree.Configuration = .init()) throws
        -> TreeNodes {
        let tree = DecisionTree(configuration)
        try tree.fit(pixels: data.pixels, featureCount: data.featureCount, labels: data.labels,
                     classCount: data.classCount)
        return try #require(tree.nodes)
    }

    @Test func pureNodesStopAndImpureOnesSplit() throws {
        let data = RandomBytes(samples: 400, seed: 11)
        let nodes = try fit(data)
        let reached = samplesPerNode(nodes, data)
        for node in 0..<nodes.nodeCount {
            let classes = nodes.counts(of: node).filter { $0 > 0 }.count
            if nodes.isLeaf(node) {
                // Impure leaves only when all their samples look alike (no split separates them).
                let rows = Set(reached[node].map { s in (0..<data.featureCount).map { data.value(s, $0) } })
                #expect(classes == 1 || rows.count == 1, "leaf \(node) is impure but splittable")
            } else {
                #expect(classes > 1, "pure node \(node) was split")
            }
        }
    }

    @Test(arguments: [1, 2, 3, 5])
    func maxDepthHolds(maxDepth: Int) throws {
        let nodes = try fit(RandomBytes(samples: 500, seed: 12), .init(maxDepth: maxDepth))
        #expect(nodes.depth == maxDepth)
        #expect(nodes.leafCount <= 1 << maxDepth)
    }

    @Test func oneClassGivesASingleLeaf() throws {
        let tree = DecisionTree()
        let inputs = Tensor(shape: [5, 3], values: (0..<15).map { Float($0 % 7) / 255 })
        try tree.fit(inputs, [0, 0, 0, 0, 0])
        let nodes = try #require(tree.nodes)
        #expect(nodes.nodeCount == 1 && nodes.leafCount == 1 && nodes.depth == 0)
        #expect(try tree.forward(inputs) == Tensor(shape: [5, 1], repeating: 1))
    }

    @Test func constantFeaturesAreNeverSplit() throws {
        let data = RandomBytes(samples: 3000, featureCount: 5, seed: 13, constantFeature: 1)
        let nodes = try fit(data)
        #expect(nodes.nodeCount > 100)
        #expect(!nodes.feature.contains(1))
        // Below a split on a feature with few values, that feature is often constant: it must not be split
        // again where all samples share one value.
        let reached = samplesPerNode(nodes, data)
        for node in 0..<nodes.nodeCount where !nodes.isLeaf(node) {
            let feature = Int(nodes.feature[node])
            #expect(Set(reached[node].map { data.value($0, feature) }).count > 1, "node \(node)")
        }
    }

    @Test func minSamplesRulesHold() throws {
        let data = RandomBytes(samples: 800, seed: 14)
        let nodes = try fit(data, .init(minSamplesSplit: 40, minSamplesLeaf: 7))
        for node in 0..<nodes.nodeCount {
            let n = nodes.counts(of: node).reduce(0, +)
            #expect(n >= 7)
            if !nodes.isLeaf(node) { #expect(n >= 40) }
        }
    }

    @Test func minImpurityDecreasePrunesWeakSplits() throws {
        let data = RandomBytes(samples: 800, seed: 15)
        let full = try fit(data)
        let pruned = try fit(data, .init(minImpurityDecrease: 0.01))
        #expect(pruned.nodeCount < full.nodeCount)
        for node in 0..<pruned.nodeCount where !pruned.isLeaf(node) {
            let weighted = { (n: Int) in
                Double(pruned.counts(of: n).reduce(0, +)) * SplitCriterion.gini.impurity(of: pruned.counts(of: n))
            }
            let decrease = (weighted(node) - weighted(Int(pruned.left[node])) - weighted(Int(pruned.right[node])))
                / 800
            #expect(decrease >= 0.01 - 1e-12)
        }
    }

    @Test func maxFeaturesIsSeededAndReproducible() throws {
        let data = RandomBytes(samples: 600, featureCount: 12, seed: 16)
        let a = try fit(data, .init(maxFeatures: .squareRoot, seed: 1))
        let b = try fit(data, .init(maxFeatures: .squareRoot, seed: 1))
        let c = try fit(data, .init(maxFeatures: .squareRoot, seed: 2))
        let all = try fit(data)
        #expect(a == b)
        #expect(a != c)
        #expect(a != all)
    }

    @Test(arguments: [
        (DecisionTree.Configuration(maxDepth: 0), "maxDepth"),
        (DecisionTree.Configuration(minSamplesLeaf: 0), "minSamplesLeaf"),
        (DecisionTree.Configuration(minSamplesSplit: 1), "minSamplesSplit"),
        (DecisionTree.Configuration(maxFeatures: .count(0)), "maxFeatures"),
        (DecisionTree.Configuration(maxFeatures: .fraction(1.5)), "maxFeatures"),
        (DecisionTree.Configuration(minImpurityDecrease: -1), "minImpurityDecrease"),
    ])
    func badHyperparametersThrowATypedError(configuration: DecisionTree.Configuration, name: String) throws {
        let tree = DecisionTree(configuration)
        let error = #expect(throws: ModelError.self) {
            try tree.fit(Tensor(shape: [2, 1], values: [0, 1]), [0, 1])
        }
        guard case let .invalidHyperparameter(thrownName, _, _) = error else {
            Issue.record("expected invalidHyperparameter, got \(String(describing: error))")
            return
        }
        #expect(thrownName == name)
        #expect(error!.description.contains(name))
        #expect(tree.nodes == nil)
    }

    @Test func badTrainingDataThrows() throws {
        let tree = DecisionTree()
        #expect(throws: ModelError.self) { try tree.fit(Tensor(shape: [2, 1], values: [0, 1]), [0]) }
        #expect(throws: ModelError.self) { try tree.fit(Tensor(shape: [2, 1], values: [0, .nan]), [0, 1]) }
        #expect(throws: ModelError.self) {
            try tree.fit(pixels: [1, 2, 3], featureCount: 2, labels: [0, 1], classCount: 2)
        }
        #expect(throws: ModelError.self) { try tree.fit(pixels: [1, 2], featureCount: 1, labels: [0, 2], classCount: 2) }
        #expect(throws: ModelError.self) {
            try tree.fit(pixels: [1, 2], featureCount: 1, labels: [0, 1], classCount: 65)
        }
    }
}
