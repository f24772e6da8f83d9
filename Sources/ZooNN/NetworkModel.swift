import ZooCore
import ZooTensor

/// A family whose fitted state is one network of class logits (logistic regression, MLP, Inception): its
/// `forward` and `loss` are the same for all of them, so they live here once.
public protocol NetworkModel: Model {
    /// The fitted network, `[N, features] -> [N, classes]` logits; nil before `fit`.
    var network: Sequential? { get }
    /// Rows the network sees at once in `forward`, bounding the memory of its activations.
    var inferenceChunk: Int { get }
}

extension NetworkModel {
    public var inferenceChunk: Int { 4096 }

    /// Class probabilities `[N, features] -> [N, classes]`: the network in inference mode, softmax per row.
    /// Stops if the model is not fitted (a programmer error: fit or load it first).
    public func forward(_ inputs: Tensor) -> Tensor {
        guard let network else { preconditionFailure("\(ModelError.notFitted(family: family))") }
        return NetworkClassifier.probabilities(network, inputs, chunk: inferenceChunk)
    }

    /// Mean cross-entropy of probabilities from `forward` against the true classes.
    public func loss(_ outputs: Tensor, _ targets: [Int]) -> Float {
        crossEntropy(probabilities: outputs, labels: targets)
    }
}
