import Testing
import ZooCore
import ZooData
import ZooLogistic
import ZooNN
import ZooNetwork
import ZooTensor

@Suite("Logistic regression")
struct LogisticRegressionTests {
    @Test("MNIST, first 10,000 training images, full test set: accuracy ≥ 89.5%")
    func mnistFloor() throws {
        let split = try DatasetRegistry.loadFromEnvironment()
        let train = try split.train.prefix(10_000)
        let model = LogisticRegression()
        try model.fit(train.inputs, train.labels)
        let testAccuracy = try accuracy(predicted: model.predict(split.test.inputs), labels: split.test.labels)
        #expect(testAccuracy >= 0.895, "test accuracy \(testAccuracy)")
        #expect(model.parameterCount == 784 * 10 + 10)
        let history = try #require(model.history)
        #expect(history.epochs.count == 20 && history.finalLoss < history.epochs[0].trainingLoss)
    }

    @Test("It is one Linear layer; probabilities sum to 1; the description shows structure and size")
    func structure() throws {
        let (inputs, labels) = (Tensor(shape: [4, 3], values: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0]), [0, 1, 2, 0])
        let model = LogisticRegression(.init().overriding(.init(learningRate: 0.1, epochs: 50)))
        #expect(model.description.hasSuffix("not fitted"))
        try model.fit(inputs, labels)
        let network = try #require(model.network)
        #expect(network.layers.count == 1 && network.layers[0] is Linear)
        let probabilities = try model.forward(inputs)
        for row in 0..<4 { #expect(abs((0..<3).map { probabilities[row, $0] }.reduce(0, +) - 1) < 1e-5) }
        #expect(try model.predict(inputs) == labels)
        #expect(model.description.contains("Linear(3 → 3)") && model.description.contains("12 parameters"))
    }

    @Test("Bad data and settings are typed errors")
    func errors() {
        let inputs = Tensor(shape: [2, 2], values: [0, 1, 1, 0])
        #expect(throws: ModelError.self) { try LogisticRegression().fit(inputs, [0]) }
        #expect(throws: ModelError.self) {
            try LogisticRegression(.init().overriding(.init(learningRate: -1))).fit(inputs, [0, 1])
        }
        #expect(throws: ModelError.self) {
            try LogisticRegression().fit(Tensor(shape: [1, 1], values: [.nan]), [0])
        }
    }
}
