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
    /// values).
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        var x = input
        var index = 0
        while index < layers.count {
            if index + 1 < layers.count, let norm = layers[index] as? BatchNorm, let relu = layers[index + 1] as? ReLU {
                x = norm.forward(x, training: training, rectified: true)
                relu.adopt(output: x, training: training)
                index += 2
            } else if index + 1 < layers.count, let linear = layers[index] as? Linear,
                      let relu = layers[index + 1] as? ReLU {
                x = linear.forward(x, training: training, rectified: true)
                relu.adopt(output: x, training: training)
                index += 2
            } else {
                x = layers[index].forward(x, training: training)
                index += 1
            }
        }
        return x
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        backward(outputGradient, through: layers.indices)
    }

    /// The backward passes of `layers[range]`, last first; a `ReLU` in front of a `Linear` is folded into the
    /// `Linear`'s input gradient (one pass, the same values).
    private func backward(_ outputGradient: Tensor, through range: Range<Int>) -> Tensor {
        var gradient = outputGradient
        var index = range.upperBound - 1
        while index >= range.lowerBound {
            if index > range.lowerBound, let linear = layers[index] as? Linear, let relu = layers[index - 1] as? ReLU,
               let output = relu.trainingOutput {
                gradient = linear.backward(gradient, rectifiedInput: output)
                index -= 2
            } else {
                gradient = layers[index].backward(gradient)
                index -= 1
            }
        }
        return gradient
    }

    /// Backward down to the first layer with parameters, which is asked for its parameter gradients only; the
    /// layers in front of it (a `Reshape` of the pixels, say) need no gradient at all.
    public func backwardWithoutInputGradient(_ outputGradient: Tensor) {
        guard let first = layers.firstIndex(where: { !$0.parameters.isEmpty }) else { return }
        layers[first].backwardParametersOnly(backward(outputGradient, through: (first + 1)..<layers.count))
    }
}
