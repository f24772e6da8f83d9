// The perceptron of Rosenblatt (1958), "The perceptron: a probabilistic model for information storage and
// organization in the brain", Psychological Review 65(6), with its learning rule: no gradient, no loss to
// differentiate; when the model gets an example wrong, the input is added to the weights of the right answer.
//
// Deviations from 1958: the multiclass form (one weight vector per class, the highest score wins; on a mistake the
// input is added to the right class's weights and subtracted from the winning wrong class's, as in Duda & Hart 1973
// and Collins 2002) instead of one binary unit per class; a bias per class, updated like a weight on a constant
// input of 1; a seeded shuffle of the examples each epoch; and, as an option, the averaged perceptron of Freund &
// Schapire (1999) in the form of Collins (2002): predict with the mean of the weights after every example, which
// generalises better than the last weights. The mean is kept with Daumé's (2006) trick, so averaging costs one
// extra update per mistake, not one per example.

import ZooCore
import ZooTensor

/// Rosenblatt's perceptron, multiclass: scores `[N, features] -> [N, classes]` are `x · Wᵀ + b`, and the step
/// activation picks the highest.
///
/// `forward` returns the step's output, the one-hot of the winning class (ties go to the lowest class index), so
/// `predict` is its argmax. `scores` gives the raw scores before the step. `loss` is the perceptron criterion
/// (see there); on `forward`'s outputs it is the fraction of mistakes.
public final class Perceptron: ScoringModel {
    /// Hyperparameters.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Passes over the training set (default 10). Training stops earlier when a pass makes no mistake: the
        /// data are then linearly separated and the rule would never change the weights again.
        public var epochs: Int
        /// Predict with the average of the weights over all training steps (Freund & Schapire 1999) instead of
        /// the final weights (default false: Rosenblatt's rule as published).
        public var averaged: Bool
        /// How much of the input is added on a mistake (default 1, as in 1958). From zero weights the
        /// predictions do not depend on it (every weight is a multiple of it); it scales `scores`.
        public var learningRate: Float
        /// Visit the examples in a new random order each epoch (default true). Without it the order is the
        /// data's, which on sorted data makes the last weights favour the last class.
        public var shuffle: Bool
        /// Seed of the shuffle (default 0): the same seed gives the same model.
        public var seed: UInt64

        public init(epochs: Int = 10, averaged: Bool = false, learningRate: Float = 1, shuffle: Bool = true,
                    seed: UInt64 = 0) {
            self.epochs = epochs
            self.averaged = averaged
            self.learningRate = learningRate
            self.shuffle = shuffle
            self.seed = seed
        }

        /// Throws `ModelError.invalidHyperparameter` unless epochs ≥ 1 and the learning rate is finite and > 0.
        public func validate() throws {
            guard epochs >= 1 else {
                throw ModelError.invalidHyperparameter(name: "epochs", value: "\(epochs)", reason: "must be at least 1")
            }
            guard learningRate > 0 && learningRate.isFinite else {
                throw ModelError.invalidHyperparameter(name: "learning rate", value: "\(learningRate)",
                                                       reason: "must be a finite number > 0")
            }
        }
    }

    /// The hyperparameters this model was made with.
    public let configuration: Configuration
    /// Weights `[classes, features]` used to predict (the averaged ones when `averaged`); nil before `fit`.
    public internal(set) var weights: Tensor?
    /// Bias `[classes]` used to predict; nil before `fit`.
    public internal(set) var bias: Tensor?
    /// Mistakes made during each epoch of the last `fit` (its count is the number of epochs run).
    public private(set) var mistakesPerEpoch: [Int] = []

    /// An unfitted perceptron; `fit` learns the weights.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var family: String { "perceptron" }

    public var parameterCount: Int { (weights?.count ?? 0) + (bias?.count ?? 0) }

    public var description: String {
        let kind = configuration.averaged ? "averaged perceptron" : "perceptron"
        guard let weights else { return "Perceptron(unfitted, \(kind))" }
        return "Perceptron(\(weights.columns) -> \(weights.rows), \(kind), step activation; "
            + "\(parameterCount) parameters)"
    }

    /// Learns from `inputs` `[N, features]` and class indices `targets` (classes `0...max(targets)`) by
    /// Rosenblatt's rule, one example at a time.
    public func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        try configuration.validate()
        try validateTrainingData(inputs, targets, family: family)
        guard let largest = targets.max(), targets.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.badTrainingData(reason: "class indices must be ≥ 0")
        }
        var state = PerceptronTraining(classCount: largest + 1, featureCount: inputs.columns,
                                       averaged: configuration.averaged, learningRate: configuration.learningRate)
        let baseGenerator = SeededGenerator(seed: configuration.seed)
        var order = Array(0..<targets.count)
        mistakesPerEpoch = []
        for epoch in 0..<configuration.epochs {
            if configuration.shuffle {
                var generator = baseGenerator.derived(UInt64(epoch))
                order.shuffle(using: &generator)
            }
            let mistakes = state.epoch(inputs, targets, order: order)
            mistakesPerEpoch.append(mistakes)
            if mistakes == 0 { break }
        }
        (weights, bias) = state.finalWeights()
    }

    /// Raw scores before the step, `x · Wᵀ + b`: `[N, features] -> [N, classes]` (one GEMM). Throws before `fit`,
    /// for inputs of another width than the weights', and for scores that are not finite.
    public func scores(_ inputs: Tensor) throws -> Tensor {
        try validateInferenceInputs(inputs, featureCount: weights?.columns, family: family)
        guard let weights, let bias else { throw ModelError.notFitted(family: family) }
        return try finiteOutputs(Tensor.matmul(inputs, transposed: false, weights, transposed: true)
            .addingToEachRow(bias), family: family)
    }

    /// The step activation of the scores: the one-hot of the winning class, `[N, features] -> [N, classes]`.
    public func forward(_ inputs: Tensor) throws -> Tensor {
        let scores = try scores(inputs)
        let winners = scores.argmax(axis: 1), classCount = scores.columns
        return Tensor(shape: scores.shape) { out in
            out.update(repeating: 0)
            for (row, winner) in winners.enumerated() { out[row * classCount + winner] = 1 }
        }
    }

    /// The perceptron criterion, mean over samples of `max_j outputs[j] − outputs[target]` (≥ 0, zero when the
    /// target scores highest): what the rule's updates lower. On `forward`'s one-hot outputs each term is 1 for a
    /// mistake and 0 otherwise, so the loss is the error rate; on `scores` it is the margin of the mistakes.
    public func loss(_ outputs: Tensor, _ targets: [Int]) -> Float {
        precondition(outputs.rank == 2 && outputs.rows == targets.count,
                     "Perceptron.loss: outputs \(outputs.shape) for \(targets.count) targets")
        guard !targets.isEmpty else { return 0 }
        let best = outputs.max(axis: 1)
        return outputs.withUnsafeBufferPointer { o in
            best.withUnsafeBufferPointer { m in
                var total = 0.0
                for (row, target) in targets.enumerated() {
                    total += Double(m[row] - o[row * outputs.columns + target])
                }
                return Float(total / Double(targets.count))
            }
        }
    }
}
