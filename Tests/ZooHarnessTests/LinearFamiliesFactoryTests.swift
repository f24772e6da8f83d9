import Testing
import ZooCore
import ZooHarness
import ZooLinear
import ZooPerceptron

/// `makeModel` passes the command line's options on to the linear and perceptron families.
@Suite struct LinearFamiliesFactoryTests {
    @Test func perceptronTakesEpochsAveragingLearningRateAndSeed() throws {
        var options = TrainingOptions()
        options.epochs = 3
        options.averaged = true
        options.learningRate = 0.5
        options.seed = 9
        let model = try #require(try makeModel(.perceptron, options) as? Perceptron)
        #expect(model.configuration == Perceptron.Configuration(epochs: 3, averaged: true, learningRate: 0.5, seed: 9))
        let defaults = try #require(try makeModel(.perceptron, TrainingOptions()) as? Perceptron)
        #expect(defaults.configuration == Perceptron.Configuration())
    }

    @Test func linearIsClosedFormUnlessGradientDescentIsAsked() throws {
        let closed = try #require(try makeModel(.linear, TrainingOptions()) as? LinearRegression)
        #expect(closed.configuration.solver == .normalEquations)
        var options = TrainingOptions()
        options.gradientDescent = true
        options.optimizer = .sgd
        options.epochs = 4
        let descended = try #require(try makeModel(.linear, options) as? LinearRegression)
        guard case let .gradientDescent(training) = descended.configuration.solver else {
            Issue.record("expected gradient descent, got \(descended.configuration.solver)")
            return
        }
        #expect(training.epochs == 4 && training.optimizer.kind == .sgd)
        options.batchSize = 0
        #expect(throws: ModelError.self) { try makeModel(.linear, options) }
    }
}
