import CKernels
import ZooCore
import ZooTensor

/// Runs several layers side by side on the same input and joins their outputs along the channel (last) axis:
/// `[..., inChannels] -> [..., c₁ + c₂ + ...]` where branch `i` maps the input to `[..., cᵢ]` (all branches must
/// agree on the leading axes). This is how an Inception block puts its 1x1, 3x3, 5x5 and pooling paths together.
///
/// A branch that ends in a batch norm and a ReLU (every branch of an Inception block) writes that last pass
/// straight into its channels of the joined output, and its backward pass reads its channels of the gradient
/// in place: no concatenation copy forward, no split copy backward. In inference a convolution in front of that
/// batch norm folds it into its weights and writes its channels directly. Other branches are copied in and out.
/// Backward sums the branches' input gradients, since every branch read the same input.
public final class Concat: Layer {
    /// The parallel branches, in output-channel order.
    public let branches: [Layer]
    /// Each branch as its leaf layers, split before a final batch norm + ReLU when it has one.
    private let plans: [Plan]
    private var branchChannels: [Int] = []
    /// The last training forward pass's output, which the fused ReLUs' backward passes read their masks from.
    private var output: Tensor?
    /// The shape of the last training forward pass's input.
    private var inputShape: [Int] = []

    private struct Plan {
        let front: [Layer]
        let tail: (norm: BatchNorm, relu: ReLU)?
    }

    /// Joins `branches` (at least one) along the channel axis.
    public init(_ branches: [Layer]) {
        precondition(!branches.isEmpty, "Concat: needs at least one branch")
        self.branches = branches
        plans = branches.map { branch in
            let leaves = (branch as? Sequential)?.leafLayers ?? [branch]
            if leaves.count >= 2, let norm = leaves[leaves.count - 2] as? BatchNorm, let relu = leaves.last as? ReLU {
                return Plan(front: Array(leaves.dropLast(2)), tail: (norm, relu))
            }
            return Plan(front: leaves, tail: nil)
        }
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        // Every branch up to its final batch norm, whose input fixes the branch's width; in inference up to the
        // convolution in front of that batch norm, which then runs with the normalisation folded in (when the
        // fold pays for this batch; otherwise the convolution runs here and the batch norm after it as in training).
        var folded: [Conv2D?] = []
        var fronts: [Tensor] = []
        for plan in plans {
            guard !training, plan.tail != nil, let conv = plan.front.last as? Conv2D else {
                fronts.append(Sequential.forward(plan.front[...], input, training: training))
                folded.append(nil)
                continue
            }
            let convInput = Sequential.forward(plan.front.dropLast(), input, training: false)
            let folds = conv.foldingPays(for: convInput.shape)
            fronts.append(folds ? convInput : conv.forward(convInput, training: false))
            folded.append(folds ? conv : nil)
        }
        let shapes = zip(fronts, folded).map { front, conv in conv?.outputShape(for: front.shape) ?? front.shape }
        let leading = Array(shapes[0].dropLast())
        precondition(shapes.allSatisfy { Array($0.dropLast()) == leading },
                     "Concat: branch outputs \(shapes) differ before the channel axis")
        let widths = shapes.map { $0.last ?? 1 }
        let total = widths.reduce(0, +), positions = leading.reduce(1, *)
        var result = Tensor(uninitializedShape: leading + [total])
        nonisolated(unsafe) let target = result.withUnsafeMutableBufferPointer { $0.baseAddress! }
        var offset = 0
        for (plan, (front, (width, conv))) in zip(plans, zip(fronts, zip(widths, folded))) {
            if let tail = plan.tail, let conv {
                conv.forward(front, foldingIn: tail.norm, rectified: true, into: target + offset, stride: total)
            } else if let tail = plan.tail {
                tail.norm.forward(front, training: training, rectified: true, into: target + offset, stride: total)
            } else {
                nonisolated(unsafe) let source = front.withUnsafeBufferPointer { $0.baseAddress! }
                let start = offset
                parallelChunks(positions, minimumChunk: Swift.max(1, 8_192 / width)) { range in
                    for position in range {
                        (target + position * total + start).update(from: source + position * width, count: width)
                    }
                }
            }
            offset += width
        }
        if training {
            branchChannels = widths
            output = result
            inputShape = input.shape
        }
        return result
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let total = branchChannels.reduce(0, +)
        guard let output, !branchChannels.isEmpty, outputGradient.shape == output.shape else {
            preconditionFailure("Concat.backward: gradient shape \(outputGradient.shape) does not match the output "
                                + "\(self.output?.shape ?? []) (call forward(_, training: true) first)")
        }
        let leading = Array(outputGradient.shape.dropLast()), positions = outputGradient.channelLayout.positions
        nonisolated(unsafe) let source = outputGradient.withUnsafeBufferPointer { $0.baseAddress! }
        let rectified = output.withUnsafeBufferPointer { $0.baseAddress! }
        // The branches' input gradients are summed in place: a convolution or max-pool at the front of a branch
        // adds its gradient straight into the sum (the first one writes it), other layers' are added after.
        var inputGradient = Tensor(uninitializedShape: inputShape)
        nonisolated(unsafe) let sum = inputGradient.withUnsafeMutableBufferPointer { $0.baseAddress! }
        var written = false
        var offset = 0
        for (plan, width) in zip(plans, branchChannels) {
            let start = offset
            let frontGradient: Tensor
            if let tail = plan.tail {
                frontGradient = tail.norm.backward(source + start, stride: total, rectifiedOutput: rectified + start,
                                                   outputStride: total)
            } else {
                frontGradient = Tensor(shape: leading + [width]) { out in
                    nonisolated(unsafe) let target = out.baseAddress!
                    parallelChunks(positions, minimumChunk: Swift.max(1, 8_192 / width)) { range in
                        for position in range {
                            (target + position * width).update(from: source + position * total + start, count: width)
                        }
                    }
                }
            }
            if let conv = plan.front.first as? Conv2D {
                conv.backward(Sequential.backward(plan.front.dropFirst(), frontGradient), addingInputGradientTo: sum,
                              overwrite: !written)
            } else if let pool = plan.front.first as? MaxPool2D {
                pool.backward(Sequential.backward(plan.front.dropFirst(), frontGradient), addingInputGradientTo: sum,
                              overwrite: !written)
            } else {
                let gradient = Sequential.backward(plan.front[...], frontGradient)
                precondition(gradient.shape == inputShape,
                             "Concat.backward: a branch's input gradient \(gradient.shape) is not \(inputShape)")
                Self.add(gradient, into: sum, overwrite: !written)
            }
            written = true
            offset += width
        }
        return withExtendedLifetime((outputGradient, output)) { inputGradient }
    }

    /// `sum += addend` (`sum = addend` when `overwrite`), split across the cores.
    private static func add(_ addend: Tensor, into sum: UnsafeMutablePointer<Float>, overwrite: Bool) {
        nonisolated(unsafe) let source = addend.withUnsafeBufferPointer { $0.baseAddress! }
        nonisolated(unsafe) let target = sum
        parallelChunks(addend.count, minimumChunk: 32_768) { range in
            if overwrite {
                (target + range.lowerBound).update(from: source + range.lowerBound, count: range.count)
            } else {
                zoo_add(source + range.lowerBound, target + range.lowerBound, range.count)
            }
        }
        withExtendedLifetime(addend) {}
    }

    public var parameters: [Parameter] { branches.flatMap(\.parameters) }
    public var buffers: [Parameter] { branches.flatMap(\.buffers) }

    public var description: String {
        "Concat(\n" + branches.map { $0.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }
            .joined(separator: ",\n") + "\n)"
    }
}
