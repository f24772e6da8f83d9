import Testing
import ZooCore
import ZooData
import ZooTensor

/// A bias-free one-layer classifier written out here (ZooCore has no layers): `[batch, features] -> [batch, classes]`.
final class TinyLinear: Layer {
    let weight: Parameter
    private var input: Tensor?

    init(_ features: Int, _ classes: Int) {
        weight = Parameter("weight", Tensor(shape: [features, classes], repeating: 0))
    }

    var parameters: [Parameter] { [weight] }
    var description: String { "TinyLinear" }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        if training { self.input = input }
        return Tensor.matmul(input, weight.value)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        weight.gradient = Tensor.matmul(input!, transposed: true, outputGradient)
        return Tensor.matmul(outputGradient, transposed: false, weight.value, transposed: true)
    }
}

/// Three Gaussian blobs in 4-D plus a constant feature for the bias: a small convex problem.
func blobs(count: Int, seed: UInt64 = 0) -> (Tensor, [Int]) {
    var generator = SeededGenerator(seed: seed)
    let labels = (0..<count).map { $0 % 3 }
    let inputs = Tensor(shape: [count, 5]) { out in
        for (row, label) in labels.enumerated() {
            for j in 0..<4 { out[row * 5 + j] = generator.nextNormal() + (j == label ? 2 : 0) }
            out[row * 5 + 4] = 1
        }
    }
    return (inputs, labels)
}

@Suite("Optimizers")
struct OptimizerTests {
    @Test("Each optimizer minimises a quadratic bowl", arguments: OptimizerKind.allCases)
    func quadratic(kind: OptimizerKind) {
        let target = Tensor(shape: [6], values: [1, -2, 3, 0.5, -1, 2])
        for nesterov in kind == .momentum ? [false, true] : [false] {
            let parameter = Parameter("w", Tensor(shape: [6], repeating: 0))
            let optimizer = OptimizerConfiguration(kind: kind, learningRate: 0.05, nesterov: nesterov).makeOptimizer()
            func loss() -> Float { (parameter.value - target).map { $0 * $0 }.sum() }
            let initial = loss()
            for _ in 0..<300 {
                parameter.gradient = (parameter.value - target) * 2
                optimizer.step(parameters: [parameter])
            }
            #expect(loss() < 0.01 * initial, "\(optimizer): \(initial) -> \(loss())")
        }
    }

    @Test("Weight decay pulls the minimum towards zero")
    func weightDecay() {
        let parameter = Parameter("w", Tensor(shape: [1], values: [0]))
        let optimizer = OptimizerConfiguration(kind: .sgd, learningRate: 0.1, weightDecay: 1).makeOptimizer()
        for _ in 0..<500 {
            parameter.gradient = (parameter.value + -2) * 2
            optimizer.step(parameters: [parameter])
        }
        // d/dw [(w - 2)² + w²/2] = 0 at w = 4/3.
        #expect(abs(parameter.value.scalar - 4.0 / 3) < 1e-3)
    }

    @Test("Each optimizer, at its default learning rate, lowers a softmax classifier's loss through the Trainer",
          arguments: OptimizerKind.allCases)
    func trainer(kind: OptimizerKind) throws {
        let (inputs, labels) = blobs(count: 300)
        let network = TinyLinear(5, 3)
        let data = DataLoader(inputs: inputs, labels: labels, batchSize: 16, seed: 1)
        let initial = SoftmaxCrossEntropy().value(network(inputs), labels: labels)
        let trainer = try Trainer(TrainingConfiguration(optimizer: OptimizerConfiguration(kind: kind), epochs: 30),
                                  quiet: true)
        let history = try trainer.fit(network, loss: SoftmaxCrossEntropy(), data: data)
        let final = SoftmaxCrossEntropy().value(network(inputs), labels: labels)
        #expect(final < 0.6 * initial, "\(kind): \(initial) -> \(final)")
        #expect(history.epochs.count == 30 && history.epochs.last!.trainingAccuracy > 0.8)
    }

    @Test("Overrides change only what they set; a new optimizer without a rate takes its own default rate")
    func overrides() {
        let defaults = TrainingConfiguration(optimizer: OptimizerConfiguration(kind: .adam, learningRate: 0.01),
                                             batchSize: 64, epochs: 6, schedule: .cosine)
        #expect(TrainingOverrides().applied(to: defaults) == defaults)
        let tuned = TrainingOverrides(epochs: 2, schedule: .constant).applied(to: defaults)
        #expect(tuned.epochs == 2 && tuned.schedule == .constant && tuned.batchSize == 64
                && tuned.optimizer.effectiveLearningRate == 0.01)
        let sgd = TrainingOverrides(optimizer: .sgd).applied(to: defaults)
        #expect(sgd.optimizer.kind == .sgd && sgd.optimizer.effectiveLearningRate == OptimizerKind.sgd.defaultLearningRate)
        #expect(TrainingOverrides(optimizer: .sgd, learningRate: 0.3).applied(to: defaults).optimizer.learningRate == 0.3)
    }

    @Test("Out-of-range settings are rejected with the setting's name")
    func validation() {
        #expect(throws: ModelError.self) { try OptimizerConfiguration(learningRate: -1).validate() }
        #expect(throws: ModelError.self) { try TrainingConfiguration(batchSize: 0).validate() }
        #expect(throws: ModelError.self) { try TrainingConfiguration(validationFraction: 1).validate() }
        #expect(throws: ModelError.self) { try Trainer(TrainingConfiguration(epochs: 0)) }
    }
}

@Suite("Trainer")
struct TrainerTests {
    @Test("A NaN in the inputs stops training with an error naming the epoch and batch")
    func nanGuard() throws {
        var (inputs, labels) = blobs(count: 40)
        inputs.withUnsafeMutableBufferPointer { $0[9 * 5 + 2] = .nan }
        let data = DataLoader(inputs: inputs, labels: labels, batchSize: 4, shuffle: false)
        let trainer = try Trainer(TrainingConfiguration(epochs: 2), optimizer: StochasticGradientDescent(learningRate: 0.1),
                                  quiet: true)
        do {
            try trainer.fit(TinyLinear(5, 3), loss: SoftmaxCrossEntropy(), data: data)
            Issue.record("no error")
        } catch let TrainingError.nonFiniteLoss(epoch, batch, value, _) {
            #expect(epoch == 1 && batch == 3 && value.isNaN)
        }
    }

    @Test("A diverging learning rate is caught too, and the message says what to do")
    func divergence() throws {
        let (inputs, labels) = blobs(count: 200)
        let data = DataLoader(inputs: inputs.map { $0 * 1e6 }, labels: labels, batchSize: 8)
        let trainer = try Trainer(TrainingConfiguration(epochs: 5),
                                  optimizer: StochasticGradientDescent(learningRate: 1e30), quiet: true)
        do {
            try trainer.fit(TinyLinear(5, 3), loss: MeanSquaredError(), data: data)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("Lower the learning rate"))
        }
    }

    @Test("Validation split and the epoch closure: one report per epoch, with validation metrics")
    func validationReports() throws {
        let (inputs, labels) = blobs(count: 200)
        let trainer = try Trainer(TrainingConfiguration(batchSize: 16, epochs: 4, validationFraction: 0.25),
                                  optimizer: Adam(learningRate: 0.05), quiet: true)
        var seen: [Int] = []
        let history = try trainer.fit(TinyLinear(5, 3), loss: SoftmaxCrossEntropy(), inputs: inputs,
                                      labels: labels) { seen.append($0.epoch) }
        #expect(seen == [1, 2, 3, 4])
        #expect(history.epochs.allSatisfy { $0.validationAccuracy != nil && $0.validationLoss != nil })
        #expect(history.epochs.last!.validationAccuracy! > 0.7)
    }

    @Test("Early stopping ends training once the monitored loss stops improving, keeping the best weights")
    func earlyStopping() throws {
        let (inputs, labels) = blobs(count: 120)
        let data = DataLoader(inputs: inputs, labels: labels, batchSize: 120)
        // A huge constant step makes the loss jump around instead of falling: training must stop early.
        let trainer = try Trainer(TrainingConfiguration(epochs: 50, patience: 2),
                                  optimizer: StochasticGradientDescent(learningRate: 50), quiet: true)
        let network = TinyLinear(5, 3)
        let history = try trainer.fit(network, loss: SoftmaxCrossEntropy(), data: data)
        #expect(history.stoppedEarly)
        #expect(history.epochs.count < 50)
        let bestLoss = history.epochs.map(\.trainingLoss).min()!
        #expect(history.epochs[history.bestEpoch - 1].trainingLoss == bestLoss)
    }
}

@Suite("Learning-rate schedules")
struct ScheduleTests {
    @Test("Cosine annealing falls from the base rate to zero; constant stays")
    func cosine() {
        #expect(LearningRateSchedule.cosine.rate(base: 0.1, step: 0, steps: 100) == 0.1)
        #expect(abs(LearningRateSchedule.cosine.rate(base: 0.1, step: 50, steps: 100) - 0.05) < 1e-7)
        #expect(LearningRateSchedule.cosine.rate(base: 0.1, step: 100, steps: 100) < 1e-9)
        #expect(LearningRateSchedule.constant.rate(base: 0.1, step: 70, steps: 100) == 0.1)
    }

    @Test("The Trainer anneals per batch, reports the rate, and restores the optimizer's rate afterwards")
    func trainerAnneals() throws {
        let (inputs, labels) = blobs(count: 64)
        let optimizer = StochasticGradientDescent(learningRate: 0.2)
        let trainer = try Trainer(TrainingConfiguration(epochs: 4, schedule: .cosine), optimizer: optimizer, quiet: true)
        let history = try trainer.fit(TinyLinear(5, 3), loss: SoftmaxCrossEntropy(),
                                      data: DataLoader(inputs: inputs, labels: labels, batchSize: 16))
        let rates = history.epochs.map(\.learningRate)
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 } && rates.last! < 0.01)
        #expect(optimizer.learningRate == 0.2)
    }
}
