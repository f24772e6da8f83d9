import ZooCore
import ZooTensor

/// Layers applied one after the other, `layers[0]` first: the LEGO principle. Its backward pass runs the layers'
/// backward passes in reverse; its parameters and buffers are the layers', in order.
public final class Sequential: Layer, SkipsInputGradient {
    /// The layers, input side first.
    public let layers: [Layer]

    /// A chain of `layers`, input side first.
    public init(_ layers: [Layer]) {
        self.layers = layers
    }

    /// A chain of `layers`, input side first.
    public convenience init(_ layers: Layer...) {
        self.init(layers)
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var buffers: [Parameter] { layers.flatMap(\.buffers) }

    /// One line per layer with its parameter count, then the total, e.g.
    /// `Sequential(\n  Linear(784 → 256)  200,960 parameters\n  ReLU\n  ...)  203,530 parameters`.
    public var description: String {
        let lines = layers.map { layer in
            let text = "\(layer)".split(separator: "\n").joined(separator: "\n  ")
            let count = layer.parameterCount
            return "  " + text + (count > 0 && !(layer is Sequential) ? "  \(Format.count(count)) parameters" : "")
        }
        return "Sequential(\n" + lines.joined(separator: "\n") + "\n)  \(Format.count(parameterCount)) parameters"
    }

    /// The layers in order; a `BatchNorm` or a `Linear` followed by a `ReLU` runs as one pass over memory (the same
    /// values). In inference a `Conv2D` followed by a `BatchNorm` (and a `ReLU`) runs as one convolution with the
    /// normalisation folded into its weights and bias (the same values up to Float rounding) when the batch's
    /// outputs outnumber the weights.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        Self.forward(layers[...], input, training: training)
    }

    /// The layers' backward passes in reverse; a `BatchNorm` followed by a `ReLU` again as one pass, and a `ReLU`
    /// in front of a `Linear` folded into the `Linear`'s input gradient.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        Self.backward(layers[...], outputGradient)
    }

    /// Backward down to the first layer with parameters, which is asked for its parameter gradients only; the
    /// layers in front of it (a `Reshape` of the pixels, say) need no gradient at all.
    public func backwardWithoutInputGradient(_ outputGradient: Tensor) {
        guard let first = layers.firstIndex(where: { !$0.parameters.isEmpty }) else { return }
        layers[first].backwardParametersOnly(Self.backward(layers[(first + 1)...], outputGradient))
    }

    /// Backward through `chain` (input side first): a `ReLU` followed by a `Linear` is the `Linear`'s input
    /// gradient masked by the ReLU's output in one pass; each `BatchNorm` + `ReLU` pair runs as one pass that
    /// masks the gradient by the ReLU's output while it computes the normalisation's.
    static func backward(_ chain: ArraySlice<Layer>, _ outputGradient: Tensor) -> Tensor {
        var gradient = outputGradient
        var index = chain.endIndex
        while index > chain.startIndex {
            if index - 2 >= chain.startIndex, let linear = chain[index - 1] as? Linear,
               let relu = chain[index - 2] as? ReLU, let output = relu.trainingOutput {
                gradient = linear.backward(gradient, rectifiedInput: output)
                index -= 2
            } else if index - 2 >= chain.startIndex, let norm = chain[index - 2] as? BatchNorm,
               let relu = chain[index - 1] as? ReLU, let output = relu.trainingOutput {
                gradient = norm.backward(gradient, rectifiedOutput: output)
                index -= 2
            } else {
                gradient = chain[index - 1].backward(gradient)
                index -= 1
            }
        }
        return gradient
    }

    /// Forward through `chain` as `forward(_:training:)` runs its layers.
    static func forward(_ chain: ArraySlice<Layer>, _ input: Tensor, training: Bool) -> Tensor {
        var x = input
        var index = chain.startIndex
        while index < chain.endIndex {
            if !training, index + 1 < chain.endIndex, let conv = chain[index] as? Conv2D,
               let norm = chain[index + 1] as? BatchNorm, conv.foldingPays(for: x.shape) {
                let rectified = index + 2 < chain.endIndex && chain[index + 2] is ReLU
                x = conv.forward(x, foldingIn: norm, rectified: rectified)
                index += rectified ? 3 : 2
            } else if index + 1 < chain.endIndex, let norm = chain[index] as? BatchNorm,
                      let relu = chain[index + 1] as? ReLU {
                x = norm.forward(x, training: training, rectified: true)
                relu.adopt(output: x, training: training)
                index += 2
            } else if index + 1 < chain.endIndex, let linear = chain[index] as? Linear,
                      let relu = chain[index + 1] as? ReLU {
                x = linear.forward(x, training: training, rectified: true)
                relu.adopt(output: x, training: training)
                index += 2
            } else {
                x = chain[index].forward(x, training: training)
                index += 1
            }
        }
        return x
    }

    /// The leaf layers in order, nested chains opened up: running them one after the other is running this one.
    var leafLayers: [Layer] {
        layers.flatMap { ($0 as? Sequential)?.leafLayers ?? [$0] }
    }
}
