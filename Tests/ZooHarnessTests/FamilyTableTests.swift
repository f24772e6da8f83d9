import Testing
import ZooCore
import ZooHarness
import ZooInception
import ZooLinear
import ZooMLP
import ZooPerceptron
import ZooTree

/// The table of families, and each entry's options applied to the family's own defaults.
@Suite struct FamilyTableTests {
    @Test func theTableDerivesNamesTypesAndDeepFamilies() throws {
        #expect(ModelKind.allCases.map(\.rawValue) == ["tree", "linear", "logistic", "perceptron", "mlp", "inception"])
        #expect(ModelKind.allCases.map(\.name) == persistableFamilies.map { $0.familyName })
        #expect(LectureClaim.deepFamilies == ["mlp", "inception"])
        #expect(ModelKind(rawValue: "dragon") == nil && ModelKind(rawValue: "mlp") == .mlp)
        for kind in ModelKind.allCases {
            let model = try kind.makeModel()
            #expect(model.family == kind.name && ModelKind(of: model) == kind)
        }
    }

    @Test func treeOptionsReachTheTree() throws {
        var options = ModelOptions()
        options.maxDepth = 7
        options.criterion = .entropy
        options.seed = 3
        let tree = try #require(try ModelKind.tree.makeModel(options) as? DecisionTree)
        #expect(tree.configuration == DecisionTree.Configuration(criterion: .entropy, maxDepth: 7, seed: 3))
        options.maxDepth = 0
        #expect(throws: ModelError.self) { _ = try ModelKind.tree.makeModel(options) }
    }

    @Test func inceptionKeepsItsOwnDefaultsUnlessOptionsOverrideThem() throws {
        var options = ModelOptions()
        let model = try #require(try ModelKind.inception.makeModel(options) as? InceptionNet)
        #expect(model.configuration == InceptionNet.Configuration())
        options.training = TrainingOverrides(learningRate: 0.005, epochs: 2, schedule: .constant)
        let tuned = try #require(try ModelKind.inception.makeModel(options) as? InceptionNet)
        #expect(tuned.configuration.training.optimizer.effectiveLearningRate == 0.005
                && tuned.configuration.training.epochs == 2 && tuned.configuration.training.batchSize == 64
                && tuned.configuration.training.schedule == .constant)
        options.training = TrainingOverrides(optimizer: .sgd)
        #expect(try ModelKind.inception.makeModel(options).description.contains("sgd lr 0.1"))
        options.training.epochs = 0
        #expect(throws: ModelError.self) { try ModelKind.inception.makeModel(options) }
    }

    @Test func mlpTakesItsArchitectureOptions() throws {
        var options = ModelOptions()
        options.hiddenSizes = [64, 32]
        options.batchNorm = true
        options.seed = 4
        let mlp = try #require(try ModelKind.mlp.makeModel(options) as? MLP)
        #expect(mlp.configuration.hiddenSizes == [64, 32] && mlp.configuration.batchNorm)
        #expect(mlp.configuration.training.seed == 4 && mlp.configuration.training.schedule == .warmupCosine)
        options.hiddenSizes = [0]
        #expect(throws: ModelError.self) { try ModelKind.mlp.makeModel(options) }
    }

    @Test func perceptronTakesEpochsAveragingLearningRateAndSeed() throws {
        var options = ModelOptions()
        options.training = TrainingOverrides(learningRate: 0.5, epochs: 3)
        options.averaged = true
        options.seed = 9
        let model = try #require(try ModelKind.perceptron.makeModel(options) as? Perceptron)
        #expect(model.configuration == Perceptron.Configuration(epochs: 3, averaged: true, learningRate: 0.5, seed: 9))
        let defaults = try #require(try ModelKind.perceptron.makeModel() as? Perceptron)
        #expect(defaults.configuration == Perceptron.Configuration())
    }

    @Test func linearIsClosedFormUnlessGradientDescentIsAsked() throws {
        let closed = try #require(try ModelKind.linear.makeModel() as? LinearRegression)
        #expect(closed.configuration.solver == .normalEquations)
        var options = ModelOptions()
        options.gradientDescent = true
        options.training = TrainingOverrides(optimizer: .sgd, epochs: 4)
        let descended = try #require(try ModelKind.linear.makeModel(options) as? LinearRegression)
        guard case let .gradientDescent(training) = descended.configuration.solver else {
            Issue.record("expected gradient descent, got \(descended.configuration.solver)")
            return
        }
        #expect(training.epochs == 4 && training.optimizer.kind == .sgd)
        options.training.batchSize = 0
        #expect(throws: ModelError.self) { try ModelKind.linear.makeModel(options) }
    }
}
