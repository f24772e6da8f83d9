import ZooData
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
    /// A linear warm-up from near zero over the first 5% of the batches (Goyal et al. 2017), then cosine annealing
    /// over the rest: a high peak rate without the first steps' large, badly aimed updates.
    case warmupCosine = "warmup-cosine"

    /// The learning rate at `step` of `steps` for a base rate `base`.
    public func rate(base: Float, step: Int, steps: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .cosine:
            let progress = Double(step) / Double(max(steps, 1))
            return base * Float((1 + cos(Double.pi * progress)) / 2)
        case .warmupCosine:
            let warmup = max(steps / 20, 1)
            guard step >= warmup else { return base * Float(step + 1) / Float(warmup) }
            let progress = Double(step - warmup) / Double(max(steps - warmup, 1))
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
    /// Seed of the batch shuffling, the validation split and the augmentation (default 0).
    public var seed: UInt64
    /// Random distortions of the training images, fresh every epoch (default nil, none). Only for samples that
    /// are square one-channel images.
    public var augmentation: Augmentation?

    public init(optimizer: OptimizerConfiguration = OptimizerConfiguration(), batchSize: Int = 128, epochs: Int = 10,
                validationFraction: Double = 0, patience: Int? = nil, schedule: LearningRateSchedule = .constant,
                seed: UInt64 = 0, augmentation: Augmentation? = nil) {
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.epochs = epochs
        self.validationFraction = validationFraction
        self.patience = patience
        self.schedule = schedule
        self.seed = seed
        self.augmentation = augmentation
    }

    private enum CodingKeys: String, CodingKey {
        case optimizer, batchSize, epochs, validationFraction, patience, schedule, seed, augmentation
    }

    /// Decodes a configuration; one saved before schedules existed (no `schedule` key) trained at a constant rate.
    /// One saved before augmentation existed trained without it.
    /// Files written before `quiet` became a property of the run still hold a `quiet` key, which is ignored.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        optimizer = try container.decode(OptimizerConfiguration.self, forKey: .optimizer)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        epochs = try container.decode(Int.self, forKey: .epochs)
        validationFraction = try container.decode(Double.self, forKey: .validationFraction)
        patience = try container.decodeIfPresent(Int.self, forKey: .patience)
        schedule = try container.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? .constant
        seed = try container.decode(UInt64.self, forKey: .seed)
        augmentation = try container.decodeIfPresent(Augmentation.self, forKey: .augmentation)
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
        do {
            try augmentation?.validate()
        } catch let AugmentationError.outOfRange(name, value, range) {
            throw ModelError.invalidHyperparameter(name: name, value: "\(value)",
                                                   reason: "must be in \(range.lowerBound)...\(range.upperBound)")
        }
    }
}


/// Changes to a family's own training defaults, each nil to keep the default: what a front end collects from its
/// user and applies with `applied(to:)`, so a family's defaults live in its configuration only.
public struct TrainingOverrides: Sendable, Equatable, Codable {
    /// Another optimizer. Without `learningRate`, it trains at its own default rate (`OptimizerKind.defaultLearningRate`).
    public var optimizer: OptimizerKind?
    /// Step size.
    public var learningRate: Float?
    /// L2 penalty added to every gradient.
    public var weightDecay: Float?
    /// Samples per mini-batch.
    public var batchSize: Int?
    /// Passes over the training data.
    public var epochs: Int?
    /// Fraction of the training data held out for validation.
    public var validationFraction: Double?
    /// Early-stopping patience in epochs.
    public var patience: Int?
    /// Learning-rate schedule.
    public var schedule: LearningRateSchedule?
    /// Distortions of the training images.
    public var augmentation: Augmentation?

    public init(optimizer: OptimizerKind? = nil, learningRate: Float? = nil, weightDecay: Float? = nil,
                batchSize: Int? = nil, epochs: Int? = nil, validationFraction: Double? = nil, patience: Int? = nil,
                schedule: LearningRateSchedule? = nil, augmentation: Augmentation? = nil) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.batchSize = batchSize
        self.epochs = epochs
        self.validationFraction = validationFraction
        self.patience = patience
        self.schedule = schedule
        self.augmentation = augmentation
    }

    /// `defaults` with every override that is set. A family's own learning rate is kept only while its own
    /// optimizer is: switching optimizer without a learning rate uses the new optimizer's default rate.
    public func applied(to defaults: TrainingConfiguration) -> TrainingConfiguration {
        var result = defaults
        if let optimizer, optimizer != defaults.optimizer.kind {
            result.optimizer.kind = optimizer
            result.optimizer.learningRate = nil
        }
        if let learningRate { result.optimizer.learningRate = learningRate }
        if let weightDecay { result.optimizer.weightDecay = weightDecay }
        if let batchSize { result.batchSize = batchSize }
        if let epochs { result.epochs = epochs }
        if let validationFraction { result.validationFraction = validationFraction }
        if let patience { result.patience = patience }
        if let schedule { result.schedule = schedule }
        if let augmentation { result.augmentation = augmentation }
        return result
    }
}
