import ZooCore
import ZooInception
import ZooLinear
import ZooLogistic
import ZooMLP
import ZooPerceptron
import ZooTree

/// An unfitted model of family `kind` configured from `options`. Throws `ModelError.invalidHyperparameter` for
/// out-of-range options.
public func makeModel(_ kind: ModelKind, _ options: TrainingOptions) throws -> any Model {
    switch kind {
    case .linear:
        guard options.gradientDescent else { return LinearRegression() }
        let training = TrainingConfiguration(
            optimizer: OptimizerConfiguration(kind: options.optimizer, learningRate: options.learningRate,
                                              weightDecay: options.weightDecay),
            batchSize: options.batchSize ?? TrainingConfiguration().batchSize,
            epochs: options.epochs ?? TrainingConfiguration().epochs,
            validationFraction: options.validationFraction, patience: options.patience, seed: options.seed,
            quiet: options.quiet)
        try training.validate()
        return LinearRegression(.init(solver: .gradientDescent(training)))
    case .perceptron:
        let defaults = Perceptron.Configuration()
        return Perceptron(.init(epochs: options.epochs ?? defaults.epochs, averaged: options.averaged,
                                learningRate: options.learningRate ?? defaults.learningRate, seed: options.seed))
    case .logistic:
        let configuration = LogisticRegression.Configuration(
            optimizer: options.optimizer, learningRate: options.learningRate, weightDecay: options.weightDecay,
            batchSize: options.batchSize ?? LogisticRegression.Configuration().training.batchSize,
            epochs: options.epochs ?? LogisticRegression.Configuration().training.epochs,
            validationFraction: options.validationFraction, patience: options.patience,
            schedule: options.schedule ?? LogisticRegression.Configuration().training.schedule, seed: options.seed,
            quiet: options.quiet)
        try configuration.training.validate()
        return LogisticRegression(configuration)
    case .mlp:
        let configuration = MLP.Configuration(
            hiddenSizes: options.hiddenSizes, activation: options.activation, batchNorm: options.batchNorm,
            optimizer: options.optimizer, learningRate: options.learningRate, weightDecay: options.weightDecay,
            batchSize: options.batchSize ?? MLP.Configuration().training.batchSize,
            epochs: options.epochs ?? MLP.Configuration().training.epochs,
            validationFraction: options.validationFraction, patience: options.patience,
            schedule: options.schedule ?? MLP.Configuration().training.schedule, seed: options.seed,
            quiet: options.quiet)
        try configuration.validate()
        return MLP(configuration)
    case .tree:
        let configuration = DecisionTree.Configuration(criterion: options.criterion, maxDepth: options.maxDepth,
                                                       seed: options.seed)
        try configuration.validate()
        return DecisionTree(configuration)
    case .inception:
        let defaults = InceptionNet.Configuration().training
        let training = TrainingConfiguration(
            optimizer: OptimizerConfiguration(
                kind: options.optimizer,
                learningRate: options.learningRate
                    ?? (options.optimizer == defaults.optimizer.kind ? defaults.optimizer.learningRate : nil),
                weightDecay: options.weightDecay),
            batchSize: options.batchSize ?? defaults.batchSize, epochs: options.epochs ?? defaults.epochs,
            validationFraction: options.validationFraction, patience: options.patience,
            schedule: options.schedule ?? defaults.schedule, seed: options.seed, quiet: options.quiet)
        try training.validate()
        return InceptionNet(InceptionNet.Configuration(training: training))
    }
}
