import ZooData
import ZooTensor

/// The training loop, owned in one place (Lightning's `Trainer.fit`): epochs of shuffled mini-batches, forward,
/// loss, backward, optimizer step; loss and accuracy per epoch; progress on stderr; validation split and early
/// stopping; a typed error as soon as the loss stops being a number. The network knows nothing of training.
public struct Trainer {
    /// Optimizer, batches, epochs, split, patience, schedule and seed, validated.
    public let configuration: TrainingConfiguration
    /// Updates the network's parameters after each batch.
    public let optimizer: any Optimizer
    /// Suppresses the progress bar: a property of the run, not of the model.
    public var quiet: Bool

    /// A trainer for `configuration`, stepping with `optimizer` (default: a fresh one built from the
    /// configuration's optimizer settings). Throws `ModelError.invalidHyperparameter` naming the first setting out
    /// of range: the one place training settings are checked.
    public init(_ configuration: TrainingConfiguration, optimizer: (any Optimizer)? = nil, quiet: Bool = false) throws {
        try configuration.validate()
        self.configuration = configuration
        self.optimizer = optimizer ?? configuration.optimizer.makeOptimizer()
        self.quiet = quiet
    }

    /// Trains `network` on `inputs` `[N, ...]` and their class `labels`, in shuffled mini-batches of the
    /// configuration's size and seed: the loader is built here, distorting the images when the configuration has
    /// an augmentation (`background` is the inputs' value of blank paper). See `fit(_:loss:data:onEpoch:)`.
    @discardableResult
    public func fit(_ network: Layer, loss: some Loss, inputs: Tensor, labels: [Int], background: Float = 0,
                    onEpoch: (EpochReport) -> Void = { _ in }) throws -> TrainingHistory {
        guard inputs.rank >= 1, inputs.shape[0] == labels.count, !labels.isEmpty else {
            throw ModelError.badTrainingData(reason: "\(inputs.shape.first ?? 0) inputs but \(labels.count) labels")
        }
        var data = DataLoader(inputs: inputs, labels: labels, batchSize: configuration.batchSize, shuffle: true,
                              seed: configuration.seed)
        if let augmentation = configuration.augmentation {
            do {
                // Distorted by the step's helper threads between steps: the step keeps every core busy, so a
                // background thread preparing the next batch only took a core from it (Benchmarks/augment).
                data = try data.augmented(augmentation, background: background)
                    .distortingInPlace { count, body in stepChunks(count, minimumChunk: 16, body) }
            } catch let error as AugmentationError {
                throw ModelError.badTrainingData(reason: "\(error)")
            }
        }
        return try fit(network, loss: loss, data: data, onEpoch: onEpoch)
    }

    /// Trains `network` on the batches of `data` for the configuration's epochs, minimising `loss`, and calls `onEpoch`
    /// after each epoch. With a validation fraction, that share of `data` (a seeded random choice) is held out
    /// and evaluated after each epoch.
    ///
    /// The network's outputs `[batch, classes]` are scored against the batch labels; accuracy is the argmax's.
    /// Throws `TrainingError.nonFiniteLoss` naming the epoch and batch when a batch's loss is NaN or infinite.
    @discardableResult
    public func fit(_ network: Layer, loss: some Loss, data: DataLoader,
                    onEpoch: (EpochReport) -> Void = { _ in }) throws -> TrainingHistory {
        let (epochs, patience, schedule) = (configuration.epochs, configuration.patience, configuration.schedule)
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
        let held = Int((Double(data.sampleCount) * configuration.validationFraction).rounded())
        guard held > 0 && held < data.sampleCount else { return (data, nil) }
        var generator = SeededGenerator(seed: data.seed).derived(0x7661_6C69)
        var order = Array(0..<data.sampleCount)
        order.shuffle(using: &generator)
        let validationRows = order[..<held].sorted(), trainingRows = order[held...].sorted()
        return (data.subset(Array(trainingRows), shuffle: data.shuffle),
                data.subset(Array(validationRows), shuffle: false, augmenting: false))
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
