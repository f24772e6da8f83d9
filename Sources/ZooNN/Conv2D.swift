import ZooCore
import ZooTensor

/// A 2-D convolution over NHWC images, computed as im2col + one OpenBLAS GEMM:
/// `[batch, height, width, inputChannels] -> [batch, outputHeight, outputWidth, outputChannels]`.
///
/// NHWC makes the GEMM's output already the next layer's input (no transposes), makes each window row of the
/// input one contiguous run (im2col copies whole runs), and lets a 1x1 stride-1 convolution skip im2col
/// altogether: its input *is* the `[positions, channels]` matrix.
///
/// The weight is `[kernelSize, kernelSize, inputChannels, outputChannels]` (HWIO), He-initialised
/// (normal with standard deviation `sqrt(2 / fanIn)`, He et al. 2015) for the ReLUs that follow.
public final class Conv2D: Layer, SkipsInputGradient {
    /// Input channels.
    public let inputChannels: Int
    /// Output channels (filters).
    public let outputChannels: Int
    /// Side of the square kernel.
    public let kernelSize: Int
    /// Step between windows, the same along both axes.
    public let stride: Int
    /// Border handling.
    public let padding: Padding
    /// `[kernelSize, kernelSize, inputChannels, outputChannels]`.
    public let weight: Parameter
    /// `[outputChannels]`, or nil when a batch norm follows (its shift makes a bias redundant).
    public let bias: Parameter?

    private var cachedColumns: Tensor?
    private var cachedGeometry: WindowGeometry?

    /// A convolution with He-initialised weights drawn from `generator` and a zero bias (if `bias`).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
                padding: Padding = .same, bias: Bool = true, using generator: inout SeededGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0,
                     "Conv2D: channels \(inputChannels)->\(outputChannels), kernel \(kernelSize), stride \(stride)")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let fanIn = kernelSize * kernelSize * inputChannels
        weight = Parameter("weight", Tensor.normal([kernelSize, kernelSize, inputChannels, outputChannels],
                                                   standardDeviation: (2 / Float(fanIn)).squareRoot(),
                                                   using: &generator))
        self.bias = bias ? Parameter("bias", Tensor(zeros: [outputChannels])) : nil
    }

    /// The im2col geometry for an input of `shape` `[batch, height, width, inputChannels]`.
    public func geometry(for shape: [Int]) -> WindowGeometry {
        precondition(shape.count == 4 && shape[3] == inputChannels,
                     "Conv2D: input shape \(shape) is not [batch, height, width, \(inputChannels)]")
        return WindowGeometry(height: shape[1], width: shape[2], channels: inputChannels,
                              kernelSize: kernelSize, stride: stride, padding: padding)
    }

    /// A 1x1 stride-1 convolution reads its input directly as the GEMM's left matrix.
    private var isPointwise: Bool { kernelSize == 1 && stride == 1 }

    /// `[batch, height, width, inputChannels] -> [batch, outputHeight, outputWidth, outputChannels]`.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let geometry = geometry(for: input.shape)
        let batch = input.shape[0]
        let rows = batch * geometry.outputPositions
        let columns = isPointwise ? input.reshaped([rows, inputChannels]) : input.im2col(geometry)
        var output: Tensor
        if let bias {
            output = Tensor(shape: [rows, outputChannels]) { out in
                bias.value.withUnsafeBufferPointer { b in
                    for row in 0..<rows { for c in 0..<outputChannels { out[row * outputChannels + c] = b[c] } }
                }
            }
        } else {
            output = Tensor(zeros: [rows, outputChannels])
        }
        Tensor.gemm(columns, weight.value.reshaped([geometry.patchSize, outputChannels]),
                    into: &output, accumulate: bias != nil)
        if training {
            cachedColumns = columns
            cachedGeometry = geometry
        }
        return output.reshaped([batch, geometry.outputHeight, geometry.outputWidth, outputChannels])
    }

    /// dLoss/dOutput -> dLoss/dInput; sets dWeight = columnsᵀ · dOutput and dBias = Σ dOutput.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (gradient, geometry) = setParameterGradients(outputGradient)
        let batch = gradient.rows / geometry.outputPositions
        let columnGradient = Tensor.matmul(gradient, transposed: false,
                                           weight.value.reshaped([geometry.patchSize, outputChannels]),
                                           transposed: true)
        return isPointwise
            ? columnGradient.reshaped([batch, geometry.height, geometry.width, inputChannels])
            : columnGradient.col2im(geometry, batch: batch)
    }

    /// The weight and bias gradients alone: a network's first convolution needs no input gradient, which
    /// saves a GEMM and a col2im.
    public func backwardWithoutInputGradient(_ outputGradient: Tensor) {
        _ = setParameterGradients(outputGradient)
    }

    /// Sets dWeight and dBias; returns dLoss/dOutput as the `[positions, outputChannels]` matrix and the geometry.
    private func setParameterGradients(_ outputGradient: Tensor) -> (Tensor, WindowGeometry) {
        guard let columns = cachedColumns, let geometry = cachedGeometry else {
            preconditionFailure("Conv2D.backward: call forward(_, training: true) first")
        }
        let batch = columns.rows / geometry.outputPositions
        precondition(outputGradient.shape == [batch, geometry.outputHeight, geometry.outputWidth, outputChannels],
                     "Conv2D.backward: gradient shape \(outputGradient.shape) does not match the output "
                     + "[\(batch), \(geometry.outputHeight), \(geometry.outputWidth), \(outputChannels)]")
        let gradient = outputGradient.reshaped([columns.rows, outputChannels])
        weight.gradient = Tensor.matmul(columns, transposed: true, gradient).reshaped(weight.value.shape)
        bias?.gradient = gradient.channelSums()
        return (gradient, geometry)
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public var description: String {
        "Conv2D(\(inputChannels)->\(outputChannels), \(kernelSize)x\(kernelSize), stride \(stride), "
            + "\(padding)\(bias == nil ? ", no bias" : ""))"
    }
}
