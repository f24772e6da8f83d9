import Testing
import ZooTensor
import ZooTree

@Suite struct TreeRulesTests {
    /// A hand-made tree on a 2x2 "image": pixel (row 1, col 0) > 127 means class 1.
    private let nodes = try! TreeNodes(featureCount: 4, classCount: 2, feature: [2, -1, -1],
                                       threshold: [127.5 / 255, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
                                       classCounts: [6, 4, 5, 1, 1, 3])

    @Test func rulesNamePixelsBytesAndCounts() {
        let text = nodes.rules(depth: 3, imageShape: [2, 2], classNames: ["no", "yes"])
        #expect(text == """
            decision tree: depth 1, 3 nodes, 2 leaves (rules shown to depth 3)
            10 samples  [no:6 yes:4]  -> no (60.0%)
            if pixel (row 1, col 0) > 127 then
                4 samples  [no:1 yes:3]  -> yes (75.0%)  (leaf)
            else
                6 samples  [no:5 yes:1]  -> no (83.3%)  (leaf)
            """)
    }

    @Test func depthLimitCutsTheRules() throws {
        #expect(nodes.rules(depth: 0).hasSuffix("10 samples  [0:6 1:4]  -> 0 (60.0%)\n... 2 more nodes below"))
        let data = RandomBytes(samples: 400, seed: 31)
        let tree = DecisionTree()
        try tree.fit(data.inputs, data.labels)
        let fitted = try #require(tree.nodes)
        let text = fitted.rules(depth: 2)
        let lines = text.split(separator: "\n").dropFirst()
        let indents = lines.map { $0.prefix { $0 == " " }.count }
        // Questions at depths 0 and 1 only (1 + 2 of them), nodes shown down to depth 2.
        #expect(lines.filter { $0.trimmingPrefix(while: { $0 == " " }).hasPrefix("if ") }.count == 3)
        #expect(indents.max() == 8)
        #expect(text.contains("more nodes below") && text.contains("if feature "))
    }
}
