/// The model families the zoo can train, by the name the command line uses (`--model mlp`).
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    /// CART decision tree (Breiman et al. 1984).
    case tree
    /// Least-squares linear regression on one-hot targets.
    case linear
    /// Multinomial logistic regression: one `Linear` layer + softmax cross-entropy.
    case logistic
    /// Rosenblatt's perceptron (1958).
    case perceptron
    /// Multilayer perceptron.
    case mlp
    /// A small Inception network (Szegedy et al. 2014).
    case inception

    /// Whether the family learns by gradient descent through the `Trainer` (and so takes optimizer, epochs,
    /// batch size and learning-rate options).
    public var isGradientTrained: Bool {
        switch self {
        case .logistic, .mlp, .inception: true
        case .tree, .linear, .perceptron: false
        }
    }
}
