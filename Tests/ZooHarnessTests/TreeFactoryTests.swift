import Testing
import ZooCore
import ZooHarness
import ZooTree

@Suite struct TreeFactoryTests {
    @Test func treeOptionsReachTheTree() throws {
        var options = TrainingOptions()
        options.maxDepth = 7
        options.criterion = .entropy
        options.seed = 3
        let tree = try #require(try makeModel(.tree, options) as? DecisionTree)
        #expect(tree.configuration == DecisionTree.Configuration(criterion: .entropy, maxDepth: 7, seed: 3))
        #expect(tree.family == ModelKind.tree.rawValue)
    }

    @Test func badTreeOptionsThrowBeforeTraining() {
        var options = TrainingOptions()
        options.maxDepth = 0
        #expect(throws: ModelError.self) { _ = try makeModel(.tree, options) }
    }
}
