import ZooCore
import ZooTensor

/// Runs several layers side by side on the same input and joins their outputs along the channel (last) axis:
/// `[..., inChannels] -> [..., c₁ + c₂ + ...]` where branch `i` maps the input to `[..., cᵢ]` (all branches must
/// agree on the leading axes). This is how an Inception block puts its 1x1, 3x3, 5x5 and pooling paths together.
///
/// Backward splits dLoss/dOutput into each branch's channels, runs each branch's backward and sums the input
/// gradients, since every branch read the same input.
public final class Concat: Layer {
    /// The parallel branches, in output-channel order.
    public let branches: [Layer]
    private var branchChannels: [Int] = []

    /// Joins `branches` (at least one) along the channel axis.
    public init(_ branches: [Layer]) {
        precondition(!branches.isEmpty, "Concat: needs at least one branch")
        self.branches = branches
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let outputs = branches.map { $0.forward(input, training: training) }
        let leading = Array(outputs[0].shape.dropLast())
        precondition(outputs.allSatisfy { Array($0.shape.dropLast()) == leading },
                     "Concat: branch outputs \(outputs.map(\.shape)) differ before the channel axis")
        let widths = outputs.map { $0.channelLayout.channels }
        if training { branchChannels = widths }
        let total = widths.reduce(0, +), positions = leading.reduce(1, *)
        var result = Tensor(uninitializedShape: leading + [total])
        nonisolated(unsafe) let target = result.withUnsafeMutableBufferPointer { $0.baseAddress! }
        var offset = 0
        for (output, width) in zip(outputs, widths) {
            nonisolated(unsafe) let source = output.withUnsafeBufferPointer { $0.baseAddress! }
            let start = offset
            parallelChunks(positions, minimumChunk: Swift.max(1, 8_192 / width)) { range in
                for position in range {
                    (target + position * total + start).update(from: source + position * width, count: width)
                }
            }
            offset += width
        }
        return result
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let total = branchChannels.reduce(0, +)
        precondition(!branchChannels.isEmpty && outputGradient.channelLayout.channels == total,
                     "Concat.backward: gradient shape \(outputGradient.shape) does not end in \(total) channels "
                     + "(call forward(_, training: true) first)")
        let leading = Array(outputGradient.shape.dropLast()), positions = outputGradient.channelLayout.positions
        nonisolated(unsafe) let source = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
        var inputGradient: Tensor?
        var offset = 0
        for (branch, width) in zip(branches, branchChannels) {
            let start = offset
            let slice = Tensor(shape: leading + [width]) { out in
                nonisolated(unsafe) let target = out.baseAddress!
                parallelChunks(positions, minimumChunk: Swift.max(1, 8_192 / width)) { range in
                    for position in range {
                        (target + position * width).update(from: source + position * total + start, count: width)
                    }
                }
            }
            let gradient = branch.backward(slice)
            if inputGradient == nil { inputGradient = gradient } else { inputGradient!.add(gradient) }
            offset += width
        }
        return inputGradient!
    }

    public var parameters: [Parameter] { branches.flatMap(\.parameters) }
    public var buffers: [Parameter] { branches.flatMap(\.buffers) }

    public var description: String {
        "Concat(\n" + branches.map { $0.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }
            .joined(separator: ",\n") + "\n)"
    }
}
