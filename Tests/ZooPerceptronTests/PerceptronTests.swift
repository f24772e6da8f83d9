import Testing
import ZooCore
import ZooData
import ZooPerceptron
import ZooTensor

@Suite struct PerceptronTests {
    /// Three well separated clusters in 2-D, `perClass` points each, labels 0, 1, 2 interleaved.
    private func clusters(perClass: Int, seed: UInt64) -> (Tensor, [Int]) {
        var generator = SeededGenerator(seed: seed)
        let centres: [(Float, Float)] = [(0, 4), (4, -2), (-4, -2)]
        var values: [Float] = [], labels: [Int] = []
        for _ in 0..<perClass {
            for (label, centre) in centres.enumerated() {
                values += [centre.0 + generator.nextNormal() * 0.5, centre.1 + generator.nextNormal() * 0.5]
                labels.append(label)
            }
        }
        return (Tensor(shape: [labels.count, 2], values: values), labels)
    }

    @Test func convergesOnLinearlySeparableData() throws {
        let (x, labels) = clusters(perClass: 50, seed: 1)
        let model = Perceptron(.init(epochs: 100))
        try model.fit(x, labels)
        #expect(model.mistakesPerEpoch.last == 0)
        #expect(model.mistakesPerEpoch.count < 100, "stops once an epoch makes no mistake")
        #expect(model.mistakesPerEpoch.first! > 0)
        #expect(try model.predict(x) == labels)
        #expect(try model.loss(model.forward(x), labels) == 0)
    }

    /// The averaged perceptron predicts with the mean of the weights after each example: after one unshuffled
    /// epoch that is the mean of the weights of plain perceptrons trained on each prefix of the data.
    @Test func averagedWeightsAreTheMeanOfTheWeightsAfterEachExample() throws {
        let x = Tensor(shape: [7, 2], values: [1, 2, -1, 0.5, 2, -1, 0.3, 0.3, -2, -2, 1.5, 0, 0, -1])
        let labels = [2, 0, 1, 0, 2, 1, 0]
        var sumWeights = Tensor(shape: [3, 2], repeating: 0), sumBias = Tensor(shape: [3], repeating: 0)
        for prefix in 1...labels.count {
            let plain = Perceptron(.init(epochs: 1, shuffle: false))
            try plain.fit(x.rows(0..<prefix), Array(labels.prefix(prefix)))
            sumWeights.add(try #require(plain.weights))
            sumBias.add(try #require(plain.bias))
        }
        let averaged = Perceptron(.init(epochs: 1, averaged: true, shuffle: false))
        try averaged.fit(x, labels)
        let expectedWeights = (sumWeights * (1 / Float(labels.count))).scalars
        let expectedBias = (sumBias * (1 / Float(labels.count))).scalars
        for (found, expected) in zip(try #require(averaged.weights).scalars, expectedWeights) {
            #expect(abs(found - expected) < 1e-5)
        }
        for (found, expected) in zip(try #require(averaged.bias).scalars, expectedBias) {
            #expect(abs(found - expected) < 1e-5)
        }
        #expect(expectedWeights != (try #require(Perceptron(.init(epochs: 1, shuffle: false)).fitted(x, labels).weights)).scalars)
    }

    @Test func forwardIsTheStepOfTheScores() throws {
        let (x, labels) = clusters(perClass: 5, seed: 2)
        let model = try Perceptron(.init(epochs: 3)).fitted(x, labels)
        let outputs = try model.forward(x), scores = try model.scores(x)
        #expect(outputs.shape == [15, 3] && scores.shape == [15, 3])
        #expect(outputs.scalars.allSatisfy { $0 == 0 || $0 == 1 } && outputs.sum(axis: 1).scalars.allSatisfy { $0 == 1 })
        #expect(outputs.argmax(axis: 1) == scores.argmax(axis: 1))
        #expect(model.parameterCount == 9)
        #expect(model.description.contains("2 -> 3"))
    }

    @Test func lossIsThePerceptronCriterion() {
        let model = Perceptron()
        let scores = Tensor(shape: [3, 2], values: [2, 1, 0.5, 3, 1, 1])
        // Row 0 right (0), row 1 wrong by 2.5, row 2 a tie (0).
        #expect(abs(model.loss(scores, [0, 0, 1]) - 2.5 / 3) < 1e-6)
        let steps = Tensor(shape: [2, 2], values: [1, 0, 0, 1])
        #expect(model.loss(steps, [0, 0]) == 0.5)
    }

    @Test func sameSeedSameModelOtherSeedOtherOrder() throws {
        let (x, labels) = clusters(perClass: 20, seed: 3)
        var generator = SeededGenerator(seed: 99)
        let noisy = x + Tensor.normal(x.shape, standardDeviation: 3, using: &generator)
        let a = try Perceptron(.init(epochs: 2, seed: 7)).fitted(noisy, labels)
        let b = try Perceptron(.init(epochs: 2, seed: 7)).fitted(noisy, labels)
        let c = try Perceptron(.init(epochs: 2, seed: 8)).fitted(noisy, labels)
        #expect(a.weights == b.weights && a.bias == b.bias)
        #expect(a.weights != c.weights)
    }

    @Test func rejectsBadHyperparameters() {
        let (x, labels) = clusters(perClass: 2, seed: 4)
        #expect(throws: ModelError.self) { try Perceptron(.init(epochs: 0)).fit(x, labels) }
        #expect(throws: ModelError.self) { try Perceptron(.init(learningRate: 0)).fit(x, labels) }
        #expect(throws: ModelError.self) { try Perceptron().fit(x, Array(labels.dropLast())) }
    }

    @Test(arguments: [false, true])
    func mnist10kReaches85Percent(averaged: Bool) throws {
        let mnist = try DatasetRegistry.loadFromEnvironment("mnist")
        let train = try mnist.train.prefix(10_000)
        let model = try Perceptron(.init(averaged: averaged)).fitted(train.inputs, train.labels)
        let testAccuracy = try accuracy(predicted: model.predict(mnist.test.inputs), labels: mnist.test.labels)
        print("perceptron\(averaged ? " (averaged)" : ""), MNIST 10k: test accuracy \(testAccuracy)")
        #expect(testAccuracy >= 0.85, "test accuracy \(testAccuracy)")
        if averaged {
            let plain = try Perceptron().fitted(train.inputs, train.labels)
            let plainAccuracy = try accuracy(predicted: plain.predict(mnist.test.inputs), labels: mnist.test.labels)
            #expect(testAccuracy > plainAccuracy, "averaged \(testAccuracy) vs plain \(plainAccuracy)")
        }
    }
}

extension Perceptron {
    /// `fit`, then self: for one-line test setups.
    fileprivate func fitted(_ inputs: Tensor, _ labels: [Int]) throws -> Perceptron {
        try fit(inputs, labels)
        return self
    }
}
