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
        var line = "epoch \(epoch)/\(epochs)  loss \(fixed(trainingLoss, 4))  accuracy \(percent(trainingAccuracy))"
        if let validationLoss, let validationAccuracy {
            line += "  val loss \(fixed(validationLoss, 4))  val accuracy \(percent(validationAccuracy))"
        }
        return line + "  \(fixed(seconds, 1)) s  \(compactCount(samplesPerSecond)) img/s"
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

/// `value` with `digits` decimals, without Foundation's `String(format:)`.
public func fixed(_ value: some BinaryFloatingPoint, _ digits: Int) -> String {
    let number = Double(value)
    guard number.isFinite && abs(number) < 1e15 else { return "\(number)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(number) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = number < 0 && scaled != 0 ? "-" : ""
    guard digits > 0 else { return "\(sign)\(whole)" }
    let fractionText = String(fraction)
    return "\(sign)\(whole)." + String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
}

/// A 0...1 fraction as a percentage with two decimals, e.g. `97.52%`.
public func percent(_ fraction: Double) -> String {
    fixed(fraction * 100, 2) + "%"
}

/// A count in compact form: `950`, `12.3k`, `1.2M`.
public func compactCount(_ value: Double) -> String {
    if value >= 1e6 { return fixed(value / 1e6, 1) + "M" }
    if value >= 1e3 { return fixed(value / 1e3, 1) + "k" }
    return fixed(value, 0)
}
