/// What one epoch of training did: what the `Trainer` hands to its per-epoch closure and keeps in the history.
public struct EpochReport: Sendable, Codable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Epochs planned in all.
    public var epochs: Int
    /// Mean loss over the epoch's training batches (weighted by batch size), measured while the weights moved.
    public var trainingLoss: Float
    /// Fraction of training samples whose argmax output was right during the epoch, 0...1.
    public var trainingAccuracy: Double
    /// Loss on the held-out validation part after the epoch, if there is one.
    public var validationLoss: Float?
    /// Accuracy on the validation part after the epoch, 0...1, if there is one.
    public var validationAccuracy: Double?
    /// Seconds spent on the training batches of this epoch (validation excluded).
    public var seconds: Double
    /// Training samples per second this epoch.
    public var samplesPerSecond: Double
    /// The learning rate used.
    public var learningRate: Float

    /// One line for logs, e.g. `epoch 3/10  loss 0.0812  accuracy 97.52%  val loss 0.0901  val accuracy 97.20%  2.1 s  28.6k img/s`.
    public var summary: String {
        var line = "epoch \(epoch)/\(epochs)  loss \(Format.fixed(trainingLoss, 4))  accuracy \(Format.percent(trainingAccuracy))"
        if let validationLoss, let validationAccuracy {
            line += "  val loss \(Format.fixed(validationLoss, 4))  val accuracy \(Format.percent(validationAccuracy))"
        }
        return line + "  \(Format.fixed(seconds, 1)) s  \(Format.compact(samplesPerSecond)) img/s"
    }
}

/// What `Trainer.fit` did, epoch by epoch.
public struct TrainingHistory: Sendable, Codable, Equatable {
    /// One report per epoch run.
    public var epochs: [EpochReport]
    /// The epoch whose weights the network holds at the end (1-based): the last one, or with early stopping the
    /// one with the lowest monitored loss.
    public var bestEpoch: Int
    /// True when early stopping ended training before the planned epochs.
    public var stoppedEarly: Bool

    /// The last epoch's mean training loss (NaN when no epoch ran).
    public var finalLoss: Float { epochs.last?.trainingLoss ?? .nan }
}
