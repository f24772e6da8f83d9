import Testing
import ZooCore
import ZooTree

@Suite struct MNISTTreeTests {
    /// The floor: first 10,000 training images, full test set, default (unlimited) tree: ≥ 79%
    /// (scikit-learn: 80.81%).
    @Test func firstTenThousandReachTheAccuracyFloor() throws {
        let mnist = try loadMNIST()
        let train = try mnist.train.prefix(10000)
        let tree = DecisionTree()
        try tree.fit(train.inputs, train.labels, classCount: 10)
        let predicted = try tree.predict(mnist.test.inputs)
        let testAccuracy = accuracy(predicted: predicted, labels: mnist.test.labels)
        #expect(testAccuracy >= 0.79, "test accuracy \(testAccuracy)")
        #expect(try accuracy(predicted: tree.predict(train.inputs), labels: train.labels) == 1)
        #expect(try tree.predict(pixels: mnist.test.pixels) == predicted)
    }
}
