import ZooCore
import ZooLinear
import ZooLogistic
import ZooMLP
import ZooPerceptron

/// An unfitted model of family `kind` configured from `options`. Throws `HarnessError.notAvailable` for a
/// family not built into this version, and `ModelError.invalidHyperparameter` for out-of-range options.
public func makeModel(_ kind: ModelKind, _ options: TrainingOptions) throws -> any Model {
    switch kind {
    case .linear:
        guard options.gradientDescent else { return LinearRegression() }
        let training = TrainingConfiguration(
            optimizer: OptimizerConfiguration(kind: options.optimizer, learningRate: options.learningRate,
                                              weightDecay: options.weightDecay),
            batchSize: options.batchSize, epochs: options.epochs ?? TrainingConfiguration().epochs,
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
            batchSize: options.batchSize, epochs: options.epochs ?? LogisticRegression.Configuration().training.epochs,
            validationFraction: options.validationFraction, patience: options.patience,
            schedule: options.schedule ?? LogisticRegression.Configuration().training.schedule, seed: options.seed,
            quiet: options.quiet)
        try configuration.training.validate()
        return LogisticRegression(configuration)
    case .mlp:
        let configuration = MLP.Configuration(
            hiddenSizes: options.hiddenSizes, activation: options.activation, batchNorm: options.batchNorm,
            optimizer: options.optimizer, learningRate: options.learningRate, weightDecay: options.weightDecay,
            batchSize: options.batchSize, epochs: options.epochs ?? MLP.Configuration().training.epochs,
            validationFraction: options.validationFraction, patience: options.patience,
            schedule: options.schedule ?? MLP.Configuration().training.schedule, seed: options.seed,
            quiet: options.quiet)
        try configuration.validate()
        return MLP(configuration)
    case .tree, .inception:
        throw HarnessError.notAvailable(model: kind.rawValue)
    }
}
