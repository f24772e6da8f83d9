import ZooTensor

/// Updates parameters from their gradients: one `step` after each batch's `backward`.
///
/// An optimizer keeps per-parameter state (velocities, moment estimates) keyed by the `Parameter` object, so
/// use one optimizer per network.
public protocol Optimizer: AnyObject, CustomStringConvertible {
    /// Step size; a trainer may change it between steps (schedules).
    var learningRate: Float { get set }
    /// Moves every parameter against its current gradient.
    func step(parameters: [Parameter])
}

/// The optimizers the zoo knows, by the name the command line uses (`--optimizer adam`), so a user can "try
/// different optimizers" with one flag.
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
    /// Plain stochastic gradient descent: `w -= lr · g`.
    case sgd
    /// SGD with heavy-ball momentum 0.9 (Polyak 1964), or Nesterov's look-ahead form when asked.
    case momentum
    /// Adam (Kingma & Ba 2015): per-value steps from bias-corrected first and second moment estimates.
    case adam
    /// RMSprop (Hinton 2012): steps divided by a running root mean square of the gradient.
    case rmsprop

    /// A learning rate that works for small MNIST networks: 0.1 (sgd), 0.05 (momentum), 0.001 (adam, rmsprop).
    public var defaultLearningRate: Float {
        switch self {
        case .sgd: 0.1
        case .momentum: 0.05
        case .adam, .rmsprop: 0.001
        }
    }
}

/// Which optimizer to build and its settings, with the usual defaults.
public struct OptimizerConfiguration: Sendable, Equatable, Codable {
    /// Which optimizer (default adam).
    public var kind: OptimizerKind
    /// Step size; nil (the default) means `kind.defaultLearningRate`.
    public var learningRate: Float?
    /// L2 penalty: `weightDecay · w` is added to every gradient before the step (default 0, none).
    public var weightDecay: Float
    /// Momentum coefficient of `.momentum` (default 0.9).
    public var momentum: Float
    /// `.momentum` in Nesterov's form (default false).
    public var nesterov: Bool

    public init(kind: OptimizerKind = .adam, learningRate: Float? = nil, weightDecay: Float = 0,
                momentum: Float = 0.9, nesterov: Bool = false) {
        self.kind = kind
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.nesterov = nesterov
    }

    /// The learning rate in effect.
    public var effectiveLearningRate: Float { learningRate ?? kind.defaultLearningRate }

    /// Throws unless the learning rate is positive and finite and the decay and momentum are in range.
    public func validate() throws {
        let rate = effectiveLearningRate
        guard rate > 0 && rate.isFinite else {
            throw ModelError.invalidHyperparameter(name: "learning rate", value: "\(rate)",
                                                   reason: "must be a positive number, e.g. 0.001")
        }
        guard weightDecay >= 0 && weightDecay.isFinite else {
            throw ModelError.invalidHyperparameter(name: "weight decay", value: "\(weightDecay)",
                                                   reason: "must be 0 or positive")
        }
        guard momentum >= 0 && momentum < 1 else {
            throw ModelError.invalidHyperparameter(name: "momentum", value: "\(momentum)", reason: "must be in 0..<1")
        }
    }

    /// A fresh optimizer (no state yet) with these settings.
    public func makeOptimizer() -> any Optimizer {
        let rate = effectiveLearningRate
        switch kind {
        case .sgd:
            return StochasticGradientDescent(learningRate: rate, momentum: 0, weightDecay: weightDecay)
        case .momentum:
            return StochasticGradientDescent(learningRate: rate, momentum: momentum, nesterov: nesterov,
                                             weightDecay: weightDecay)
        case .adam:
            return Adam(learningRate: rate, weightDecay: weightDecay)
        case .rmsprop:
            return RMSProp(learningRate: rate, weightDecay: weightDecay)
        }
    }
}

/// Per-parameter state tensors of an optimizer (up to two, e.g. Adam's moments), keyed by the parameter object,
/// which is held so that its identity stays unique.
struct OptimizerState {
    private var slots: [ObjectIdentifier: (parameter: Parameter, first: Tensor, second: Tensor)] = [:]

    /// Runs `body` on the state of `parameter`: `first` of its shape unless `needsFirst` is false, `second` of its
    /// shape when `needsSecond`, else empty tensors; zero the first time. The tensors are uniquely owned while
    /// `body` runs.
    mutating func with(_ parameter: Parameter, needsFirst: Bool = true, needsSecond: Bool = false,
                       _ body: (inout Tensor, inout Tensor) -> Void) {
        let key = ObjectIdentifier(parameter)
        let shape = parameter.value.shape
        var entry = slots.removeValue(forKey: key)
            ?? (parameter, Tensor(shape: needsFirst ? shape : [0], repeating: 0),
                Tensor(shape: needsSecond ? shape : [0], repeating: 0))
        body(&entry.first, &entry.second)
        slots[key] = entry
    }
}
