import ZooTensor

/// A layer that can set its parameter gradients without computing dLoss/dInput.
///
/// Nobody needs the input gradient of a network's first layer (the images are not learned), and for an MLP on
/// MNIST that product is a quarter of the training FLOPs. The `Trainer` calls `backwardWithoutInputGradient` on a
/// network that offers it; a `Sequential` passes the saving on to its first layer.
public protocol SkipsInputGradient: Layer {
    /// Same parameter gradients as `backward(outputGradient)`, without computing (or returning) dLoss/dInput.
    func backwardWithoutInputGradient(_ outputGradient: Tensor)
}

extension Layer {
    /// Sets this layer's parameter gradients, skipping dLoss/dInput when the layer can.
    public func backwardParametersOnly(_ outputGradient: Tensor) {
        if let layer = self as? any SkipsInputGradient {
            layer.backwardWithoutInputGradient(outputGradient)
        } else {
            _ = backward(outputGradient)
        }
    }
}
