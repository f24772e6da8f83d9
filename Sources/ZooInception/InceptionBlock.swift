// The Inception module of GoogLeNet: Szegedy et al. 2014, "Going Deeper with Convolutions" (arXiv:1409.4842),
// figure 2(b), "Inception module with dimension reductions".
//
// Deviations from the paper:
// - every convolution is followed by batch normalisation (Ioffe & Szegedy 2015, as in Inception v2) before its
//   ReLU, and has no bias (the normalisation's shift replaces it); the paper has convolution + ReLU only;
// - the sizes are tiny (tens of channels, not hundreds) for 28x28 digits.

import ZooCore
import ZooNN
import ZooTensor

/// One Inception module: four branches look at the same input side by side and their outputs are stacked
/// along the channel axis: `[batch, h, w, inputChannels] -> [batch, h, w, outputChannels]` with
/// `outputChannels = b1x1 + b3x3 + b5x5 + poolProjection`.
///
/// The 1x1 "reduce" convolutions before the 3x3 and 5x5 ones shrink the channels first, which is what makes
/// the module cheap (the paper's dimension reduction).
public final class InceptionBlock: Layer {
    /// Channels of the input.
    public let inputChannels: Int
    /// Channels of the output: the four branches' widths added.
    public let outputChannels: Int
    /// The four branches run side by side: 1x1 | 1x1 → 3x3 | 1x1 → 5x5 | 3x3 max-pool → 1x1.
    public let branches: Concat
    private let summary: String

    /// An Inception module with the widths of the paper's table 1 columns: `b1x1` "#1x1", `b3x3Reduce`
    /// "#3x3 reduce", `b3x3` "#3x3", `b5x5Reduce` "#5x5 reduce", `b5x5` "#5x5", `poolProjection` "pool proj".
    public init(_ inputChannels: Int, b1x1: Int, b3x3Reduce: Int, b3x3: Int, b5x5Reduce: Int, b5x5: Int,
                poolProjection: Int, using generator: inout SeededGenerator) {
        self.inputChannels = inputChannels
        outputChannels = b1x1 + b3x3 + b5x5 + poolProjection
        branches = Concat([
            // 1x1 convolutions
            convolution(inputChannels, b1x1, kernel: 1, using: &generator),
            // 1x1 convolutions → 3x3 convolutions
            Sequential(convolution(inputChannels, b3x3Reduce, kernel: 1, using: &generator),
                       convolution(b3x3Reduce, b3x3, kernel: 3, using: &generator)),
            // 1x1 convolutions → 5x5 convolutions
            Sequential(convolution(inputChannels, b5x5Reduce, kernel: 1, using: &generator),
                       convolution(b5x5Reduce, b5x5, kernel: 5, using: &generator)),
            // 3x3 max pooling → 1x1 convolutions
            Sequential(MaxPool2D(size: 3, stride: 1, padding: .same),
                       convolution(inputChannels, poolProjection, kernel: 1, using: &generator)),
        ])
        summary = "Inception(\(inputChannels) -> \(outputChannels): 1x1 \(b1x1) | 1x1 \(b3x3Reduce) -> 3x3 \(b3x3) | "
            + "1x1 \(b5x5Reduce) -> 5x5 \(b5x5) | maxpool 3x3 -> 1x1 \(poolProjection))"
    }

    /// `[batch, h, w, inputChannels] -> [batch, h, w, outputChannels]`.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        branches.forward(input, training: training)
    }

    /// dLoss/dOutput -> dLoss/dInput: the sum of the four branches' input gradients.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        branches.backward(outputGradient)
    }

    public var parameters: [Parameter] { branches.parameters }
    public var buffers: [Parameter] { branches.buffers }
    public var description: String { summary }
}

/// The unit every convolution of the network is made of: a `kernel`x`kernel` stride-1 'same' convolution,
/// batch norm, ReLU: `[batch, h, w, input] -> [batch, h, w, output]`.
public func convolution(_ input: Int, _ output: Int, kernel: Int,
                        using generator: inout SeededGenerator) -> Sequential {
    Sequential(Conv2D(inputChannels: input, outputChannels: output, kernelSize: kernel, padding: .same,
                      bias: false, using: &generator),
               BatchNorm(output),
               ReLU())
}
