import ZooData
import ZooTensor

#if canImport(Glibc)
import Glibc
#endif

/// How the learning rate changes over training.
public enum LearningRateSchedule: String, CaseIterable, Codable, Sendable {
    /// The optimizer's learning rate throughout.
    case constant
    /// Cosine annealing to zero over all batches of all epochs (Loshchilov & Hutter 2017, without restarts):
    /// `lr · (1 + cos(π · step / steps)) / 2`. Large steps early, fine ones at the end.
    case cosine

    /// The learning rate at `step` of `steps` for a base rate `base`.
    public func rate(base: Float, step: Int, steps: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .cosine:
            let progress = Double(step) / Double(max(steps, 1))
            return base * Float((1 + cos(Double.pi * progress)) / 2)
        }
    }
}

/// Everything a gradient-trained family needs to say about *how* to train, with documented defaults.
/// Families embed it in their own `Configuration`.
public struct TrainingConfiguration: Sendable, Equatable, Codable {
    /// Optimizer and its settings (default Adam, learning rate 0.001, no weight decay).
    public var optimizer: OptimizerConfiguration
    /// Samples per mini-batch (default 128).
    public var batchSize: Int
    /// Passes over the training data (default 10).
    public var epochs: Int
    /// Fraction of the training data held out to monitor validation loss and accuracy (default 0, none).
    public var validationFraction: Double
    /// Early stopping: stop after this many epochs without a lower monitored loss (validation loss when there is
    /// a validation part, else training loss) and restore the best epoch's weights. Nil (default) trains all epochs.
    public var patience: Int?
    /// How the learning rate changes over the epochs (default constant).
    public var schedule: LearningRateSchedule
    /// Seed of the batch shuffling and the validation split (default 0).
    public var seed: UInt64
    /// No progress bar on stderr (default false; the bar is drawn only when stderr is a terminal anyway).
    public var quiet: Bool

    public init(optimizer: OptimizerConfiguration = OptimizerConfiguration(), batchSize: Int = 128, epochs: Int = 10,
                validationFraction: Double = 0, patience: Int? = nil, schedule: LearningRateSchedule = .constant,
                seed: UInt64 = 0, quiet: Bool = false) {
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.epochs = epochs
        self.validationFraction = validationFraction
        self.patience = patience
        self.schedule = schedule
        self.seed = seed
        self.quiet = quiet
    }

    private enum CodingKeys: String, CodingKey {
        case optimizer, batchSize, epochs, validationFraction, patience, schedule, seed, quiet
    }

    /// Decodes a configuration; one saved before schedules existed (no `schedule` key) trained at a constant rate.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        optimizer = try container.decode(OptimizerConfiguration.self, forKey: .optimizer)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        epochs = try container.decode(Int.self, forKey: .epochs)
        validationFraction = try container.decode(Double.self, forKey: .validationFraction)
        patience = try container.decodeIfPresent(Int.self, forKey: .patience)
        schedule = try container.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? .constant
        seed = try container.decode(UInt64.self, forKey: .seed)
        quiet = try container.decode(Bool.self, forKey: .quiet)
    }

    /// Throws when a setting is out of range, naming it.
    public func validate() throws {
        try optimizer.validate()
        guard batchSize > 0 else {
            throw ModelError.invalidHyperparameter(name: "batch size", value: "\(batchSize)", reason: "must be ≥ 1")
        }
        guard epochs > 0 else {
            throw ModelError.invalidHyperparameter(name: "epochs", value: "\(epochs)", reason: "must be ≥ 1")
        }
        guard validationFraction >= 0 && validationFraction < 1 else {
            throw ModelError.invalidHyperparameter(name: "validation fraction", value: "\(validationFraction)",
                                                   reason: "must be in 0..<1")
        }
        if let patience, patience < 1 {
            throw ModelError.invalidHyperparameter(name: "patience", value: "\(patience)", reason: "must be ≥ 1")
        }
    }
}

/// The training loop, owned in one place (Lightning's `Trainer.fit`): epochs of shuffled mini-batches, forward,
/// loss, backward, optimizer step; loss and accuracy per epoch; progress on stderr; validation split and early
/// stopping; a typed error as soon as the loss stops being a number. The network knows nothing of training.
public struct Trainer {
    /// Updates the network's parameters after each batch.
    public let optimizer: any Optimizer
    /// Fraction of the data held out for validation (0 for none).
    public var validationFraction: Double
    /// Early-stopping patience in epochs (nil: never stop early).
    public var patience: Int?
    /// How the optimizer's learning rate changes over the batches of `fit` (it is restored afterwards).
    public var schedule: LearningRateSchedule
    /// Suppresses the progress bar.
    public var quiet: Bool

    /// A trainer stepping with `optimizer`.
    public init(optimizer: any Optimizer, validationFraction: Double = 0, patience: Int? = nil,
                schedule: LearningRateSchedule = .constant, quiet: Bool = false) {
        precondition(validationFraction >= 0 && validationFraction < 1,
                     "Trainer: validation fraction \(validationFraction) is outside 0..<1")
        self.optimizer = optimizer
        self.validationFraction = validationFraction
        self.patience = patience
        self.schedule = schedule
        self.quiet = quiet
    }

    /// A trainer with a fresh optimizer and the split, patience and quietness of `configuration`.
    public init(_ configuration: TrainingConfiguration) {
        self.init(optimizer: configuration.optimizer.makeOptimizer(),
                  validationFraction: configuration.validationFraction, patience: configuration.patience,
                  schedule: configuration.schedule, quiet: configuration.quiet)
    }

    /// Trains `network` on the batches of `data` for `epochs` epochs, minimising `loss`, and calls `onEpoch`
    /// after each epoch. With a validation fraction, that share of `data` (a seeded random choice) is held out
    /// and evaluated after each epoch.
    ///
    /// The network's outputs `[batch, classes]` are scored against the batch labels; accuracy is the argmax's.
    /// Throws `TrainingError.nonFiniteLoss` naming the epoch and batch when a batch's loss is NaN or infinite.
    @discardableResult
    public func fit(network: Layer, loss: some Loss, data: DataLoader, epochs: Int,
                    onEpoch: (EpochReport) -> Void = { _ in }) throws -> TrainingHistory {
        precondition(epochs >= 0, "Trainer.fit: negative epoch count \(epochs)")
        retainFreedTensorMemory()
        let (training, validation) = split(data)
        let parameters = network.parameters
        let stateTensors = parameters + network.buffers
        var progress = ProgressBar(quiet: quiet)
        var reports: [EpochReport] = []
        var best: (loss: Float, epoch: Int, values: [Tensor])? = nil
        var stoppedEarly = false
        let baseRate = optimizer.learningRate
        let totalSteps = epochs * training.batchCount
        defer { optimizer.learningRate = baseRate }

        for epoch in stride(from: 1, through: epochs, by: 1) {
            let start = ContinuousClock.now
            var (lossSum, correct, seen, batchNumber) = (0.0, 0, 0, 0)
            let label = "epoch \(epoch)/\(epochs)"
            for batch in training.batches(epoch: epoch - 1) {
                optimizer.learningRate = schedule.rate(base: baseRate, step: (epoch - 1) * training.batchCount
                                                       + batchNumber, steps: totalSteps)
                batchNumber += 1
                let outputs = network.forward(batch.inputs, training: true)
                let evaluation = loss.evaluate(outputs, labels: batch.labels)
                guard evaluation.value.isFinite else {
                    progress.finish("\(label): stopped, the loss is \(evaluation.value)")
                    throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batchNumber, value: evaluation.value,
                                                      learningRate: optimizer.learningRate)
                }
                network.backwardParametersOnly(evaluation.gradient)
                optimizer.step(parameters: parameters)
                lossSum += Double(evaluation.value) * Double(batch.labels.count)
                correct += countCorrect(outputs, batch.labels)
                seen += batch.labels.count
                progress.update(label: label, done: batchNumber, total: training.batchCount, samples: seen,
                                elapsed: elapsedSeconds(since: start))
            }
            let elapsed = elapsedSeconds(since: start)
            var report = EpochReport(epoch: epoch, epochs: epochs, trainingLoss: Float(lossSum / Double(max(seen, 1))),
                                     trainingAccuracy: Double(correct) / Double(max(seen, 1)),
                                     validationLoss: nil, validationAccuracy: nil, seconds: elapsed,
                                     samplesPerSecond: elapsed > 0 ? Double(seen) / elapsed : 0,
                                     learningRate: optimizer.learningRate)
            if let validation {
                (report.validationLoss, report.validationAccuracy) = evaluate(network, loss, validation)
            }
            reports.append(report)
            progress.finish(report.summary)
            onEpoch(report)

            guard let patience else { continue }
            let monitored = report.validationLoss ?? report.trainingLoss
            if let previous = best, monitored >= previous.loss {
                if epoch - previous.epoch >= patience {
                    stoppedEarly = epoch < epochs
                    break
                }
            } else {
                best = (monitored, epoch, stateTensors.map(\.value))
            }
        }
        if let best {
            for (tensor, value) in zip(stateTensors, best.values) { tensor.value = value }
        }
        return TrainingHistory(epochs: reports, bestEpoch: best?.epoch ?? reports.count, stoppedEarly: stoppedEarly)
    }

    /// Mean loss and accuracy of `network` in inference mode over `data`, in chunks of `data.batchSize` rows.
    public func evaluate(_ network: Layer, _ loss: some Loss, _ data: DataLoader) -> (Float, Double) {
        var (lossSum, correct) = (0.0, 0)
        for batch in data.batches(epoch: 0) {
            let outputs = network.forward(batch.inputs, training: false)
            lossSum += Double(loss.value(outputs, labels: batch.labels)) * Double(batch.labels.count)
            correct += countCorrect(outputs, batch.labels)
        }
        let count = Double(max(data.sampleCount, 1))
        return (Float(lossSum / count), Double(correct) / count)
    }

    /// Splits off the validation part: a seeded random `validationFraction` of the samples (at least one each side).
    private func split(_ data: DataLoader) -> (training: DataLoader, validation: DataLoader?) {
        let held = Int((Double(data.sampleCount) * validationFraction).rounded())
        guard held > 0 && held < data.sampleCount else { return (data, nil) }
        var generator = SeededGenerator(seed: data.seed).derived(0x7661_6C69)
        var order = Array(0..<data.sampleCount)
        order.shuffle(using: &generator)
        let validationRows = order[..<held].sorted(), trainingRows = order[held...].sorted()
        func loader(_ rows: [Int], shuffle: Bool) -> DataLoader {
            DataLoader(inputs: data.inputs.gatherRows(rows), labels: rows.map { data.labels[$0] },
                       batchSize: data.batchSize, shuffle: shuffle, seed: data.seed)
        }
        return (loader(trainingRows, shuffle: data.shuffle), loader(validationRows, shuffle: false))
    }
}

/// How many rows of `outputs` `[batch, classes]` have their largest value at the label.
func countCorrect(_ outputs: Tensor, _ labels: [Int]) -> Int {
    let classes = outputs.shape[1]
    return outputs.withUnsafeBufferPointer { values in
        var correct = 0
        for (row, label) in labels.enumerated() {
            let base = row * classes
            var best = 0
            for j in 1..<classes where values[base + j] > values[base + best] { best = j }
            if best == label { correct += 1 }
        }
        return correct
    }
}
