import Foundation
import Testing
import ZooCore
import ZooData
import ZooLinear
import ZooTensor

/// The repository's root, found from this file's path (Tests/ZooLinearTests/<file>).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

@Suite struct LinearRegressionTests {
    /// Data/examples/make-chicken-feed.py draws weight = 42 + 0.6·feed + Normal(0, 25).
    @Test func chickenFeedRecoversTheTrueSlope() throws {
        let table = try CSVTable.read(repositoryRoot.appendingPathComponent("Data/examples/chicken-feed.csv").path)
        let x = try table.numericMatrix(columns: ["feed_grams"]), y = try table.numericMatrix(columns: ["weight_grams"])
        let model = LinearRegression()
        try model.fit(x: x, y: y)
        let slope = try #require(model.coefficients)[0, 0]
        #expect(abs(slope - 0.6) / 0.6 < 0.05, "slope \(slope)")
        let untrained = rootMeanSquaredError(Tensor(shape: y.shape, repeating: 0), y)
        #expect(rootMeanSquaredError(try model.predict(x: x), y) < 0.05 * untrained)
    }

    /// Plain least squares matches the textbook solution (computed in Double by Python for this file).
    @Test func matchesOrdinaryLeastSquaresWithoutRidge() throws {
        let table = try CSVTable.read(repositoryRoot.appendingPathComponent("Data/examples/chicken-feed.csv").path)
        let x = try table.numericMatrix(columns: ["feed_grams"]), y = try table.numericMatrix(columns: ["weight_grams"])
        let model = LinearRegression(.init(ridge: 0))
        try model.fit(x: x, y: y)
        #expect(abs(try #require(model.coefficients)[0, 0] - 0.604979) < 1e-4)
        #expect(abs(try #require(model.intercept)[0] - 31.4006) < 0.05)
        #expect(abs(rootMeanSquaredError(try model.predict(x: x), y) - 27.6622) < 0.01)
    }

    /// Several inputs and outputs with very different scales: the exact coefficients come back.
    @Test func recoversAnExactMultivariateMap() throws {
        var generator = SeededGenerator(seed: 1)
        let x = Tensor.normal([200, 3], using: &generator).multiplyingEachRow(by: Tensor(shape: [3], values: [1, 1000, 0.001]))
        let trueWeights = Tensor(shape: [3, 2], values: [2, -1, 0.003, 0.5, 400, 0])
        let y = Tensor.matmul(x, trueWeights).addingToEachRow(Tensor(shape: [2], values: [5, -7]))
        let model = LinearRegression(.init(ridge: 0))
        try model.fit(x: x, y: y)
        let weights = try #require(model.coefficients).scalars, intercept = try #require(model.intercept).scalars
        // Each feature's coefficients to within 1e-3 of that feature's largest one (its output scale).
        for feature in 0..<3 {
            let row = trueWeights.scalars[(feature * 2)..<(feature * 2 + 2)], size = row.map(abs).max()!
            for output in 0..<2 {
                #expect(abs(weights[feature * 2 + output] - row[feature * 2 + output]) <= 1e-3 * size, "\(weights)")
            }
        }
        #expect(abs(intercept[0] - 5) < 1e-2 && abs(intercept[1] + 7) < 1e-2, "\(intercept)")
    }

    @Test func duplicatedFeatureIsASingularSystemError() throws {
        let x = Tensor(shape: [4, 2], values: [1, 1, 2, 2, 3, 3, 5, 5])
        let y = Tensor(shape: [4, 1], values: [1, 2, 3, 4])
        let model = LinearRegression(.init(ridge: 0))
        #expect(throws: LinearRegressionError.singular(feature: 1, constant: false, ridge: 0)) {
            try model.fit(x: x, y: y)
        }
        #expect(model.coefficients == nil)
        // The default ridge makes the same system solvable and shares the weight between the twins.
        let ridged = LinearRegression()
        try ridged.fit(x: x, y: y)
        let weights = try #require(ridged.coefficients)
        #expect(weights.isFinite && abs(weights[0, 0] - weights[1, 0]) < 1e-4)
    }

    @Test func constantFeatureIsASingularSystemError() throws {
        let x = Tensor(shape: [3, 2], values: [1, 7, 2, 7, 3, 7])
        let y = Tensor(shape: [3, 1], values: [1, 2, 3])
        #expect(throws: LinearRegressionError.singular(feature: 1, constant: true, ridge: 0)) {
            try LinearRegression(.init(ridge: 0)).fit(x: x, y: y)
        }
        let error = LinearRegressionError.singular(feature: 1, constant: true, ridge: 0).description
        #expect(error.contains("feature 1") && error.contains("constant") && error.contains("ridge"))
    }

    @Test func rejectsNonFiniteInputs() {
        let x = Tensor(shape: [2, 1], values: [1, .nan]), y = Tensor(shape: [2, 1], values: [1, 2])
        #expect(throws: ModelError.self) { try LinearRegression().fit(x: x, y: y) }
    }

    @Test func classifierRegressesOneHotTargets() throws {
        // Two well separated blobs in 2-D.
        let x = Tensor(shape: [6, 2], values: [0, 0, 0.1, 0.2, 0.2, 0, 3, 3, 3.1, 2.9, 2.8, 3.2])
        let labels = [0, 0, 0, 1, 1, 1]
        let model = LinearRegression()
        try model.fit(x, labels)
        #expect(try model.predict(x) == labels)
        let outputs = try model.forward(x)
        #expect(outputs.shape == [6, 2])
        #expect(model.loss(outputs, labels) < model.loss(Tensor(shape: [6, 2], repeating: 0), labels))
        #expect(model.parameterCount == 6)
        #expect(model.description.contains("2 -> 2"))
    }

    /// Full-batch gradient descent through the Trainer converges to the closed-form least-squares answer.
    @Test func gradientDescentAgreesWithTheClosedForm() throws {
        var generator = SeededGenerator(seed: 5)
        let x = Tensor.normal([300, 3], using: &generator)
        let labels = x.argmax(axis: 1).enumerated().map { $0.offset % 7 == 0 ? ($0.element + 1) % 3 : $0.element }
        let closed = LinearRegression(.init(ridge: 0))
        try closed.fit(x, labels)
        let training = TrainingConfiguration(optimizer: .init(kind: .sgd, learningRate: 0.5), batchSize: 300,
                                             epochs: 400)
        let descended = LinearRegression(.init(solver: .gradientDescent(training)))
        try descended.fit(x, labels, quiet: true)
        let history = try #require(descended.history)
        #expect(history.epochs.count == 400 && history.finalLoss < history.epochs[0].trainingLoss)
        for (a, b) in zip(try #require(closed.coefficients).scalars, try #require(descended.coefficients).scalars) {
            #expect(abs(a - b) < 1e-3, "closed form \(a), gradient descent \(b)")
        }
        for (a, b) in zip(try #require(closed.intercept).scalars, try #require(descended.intercept).scalars) {
            #expect(abs(a - b) < 1e-3, "closed form \(a), gradient descent \(b)")
        }
        #expect(try closed.predict(x) == descended.predict(x))
        #expect(try abs(closed.loss(closed.forward(x), labels) - history.finalLoss) < 1e-4)
        #expect(descended.description.contains("gradient descent"))
        #expect(throws: ModelError.self) { try descended.fit(x: x, y: x) }
    }

    @Test func savedModelPredictsTheSame() throws {
        let x = Tensor(shape: [6, 2], values: [0, 0, 0.1, 0.2, 0.2, 0, 3, 3, 3.1, 2.9, 2.8, 3.2])
        let model = LinearRegression(.init(ridge: 0.01))
        try model.fit(x, [0, 0, 1, 1, 2, 2])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("linear-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let provenance = ModelProvenance(dataset: "toy", trainingSize: 6, seed: 0)
        try ModelFile(model: model, provenance: provenance).write(to: path)
        let loaded = try ModelFile.read(path).model(as: LinearRegression.self)
        #expect(loaded.configuration == model.configuration)
        #expect(try loaded.forward(x) == model.forward(x))
        #expect(throws: ModelError.self) { try LinearRegression().modelState() }
    }

    @Test func leastSquaresOnMNIST10kReaches83Percent() throws {
        let mnist = try DatasetRegistry.loadFromEnvironment("mnist")
        let train = try mnist.train.prefix(10_000)
        let model = LinearRegression()
        try model.fit(train.inputs, train.labels)
        let testAccuracy = try accuracy(predicted: model.predict(mnist.test.inputs), labels: mnist.test.labels)
        #expect(testAccuracy >= 0.83, "test accuracy \(testAccuracy)")
        print("least squares, MNIST 10k: test accuracy \(testAccuracy)")
    }
}
