import Testing
import ZooCore
import ZooNN
import ZooTensor

/// Concat's fused path (each branch's final batch norm + ReLU writing into the joined output and reading its
/// gradient in place) against the same layers run one at a time, unfused, with copies in and out.
@Suite("Concat writing branches straight into its output")
struct FusedConcatTests {
    /// A conv + batch norm + ReLU unit, as Inception builds them, with β and γ away from 1 and 0.
    private static func unit(_ input: Int, _ output: Int, kernel: Int, _ generator: inout SeededGenerator)
        -> [Layer] {
        let norm = BatchNorm(output)
        norm.weight.value = Tensor.uniform([output], in: 0.5...1.5, using: &generator)
        norm.bias.value = Tensor.uniform([output], in: -0.3...0.3, using: &generator)
        return [Conv2D(inputChannels: input, outputChannels: output, kernelSize: kernel, padding: .same, bias: false,
                       using: &generator), norm, ReLU()]
    }

    /// The branches as leaf-layer lists: three end in batch norm + ReLU (one behind a max-pool), one in a plain
    /// convolution, which takes the copying path.
    private static func branches(seed: UInt64) -> [[Layer]] {
        var generator = SeededGenerator(seed: seed)
        return [
            unit(5, 3, kernel: 1, &generator),
            unit(5, 2, kernel: 1, &generator) + unit(2, 4, kernel: 3, &generator),
            [MaxPool2D(size: 3, stride: 1, padding: .same)] + unit(5, 2, kernel: 1, &generator),
            [Conv2D(inputChannels: 5, outputChannels: 3, kernelSize: 3, using: &generator)],
        ]
    }

    @Test("Values and every parameter gradient equal the unfused layers' bit for bit, the input gradient within 1e-5")
    func sameAsUnfused() {
        var generator = SeededGenerator(seed: 21)
        let input = Tensor.uniform([3, 6, 5, 5], in: -1...1, using: &generator)
        let upstream = Tensor.uniform([3, 6, 5, 12], in: -1...1, using: &generator)
        let fusedBranches = Self.branches(seed: 4), plainBranches = Self.branches(seed: 4)
        let concat = Concat([
            Sequential(fusedBranches[0]),
            Sequential(Sequential(Array(fusedBranches[1][..<3])), Sequential(Array(fusedBranches[1][3...]))),
            Sequential(fusedBranches[2][0], Sequential(Array(fusedBranches[2][1...]))),
            fusedBranches[3][0],
        ])

        // Reference: each layer on its own, outputs copied into the joined tensor, the gradient split by copies.
        let outputs = plainBranches.map { $0.reduce(input) { $1.forward($0, training: true) } }
        let widths = outputs.map { $0.shape[3] }
        let expected = Tensor(shape: [3, 6, 5, 12]) { out in
            for position in 0..<(3 * 6 * 5) {
                var offset = 0
                for (output, width) in zip(outputs, widths) {
                    for c in 0..<width { out[position * 12 + offset + c] = output.scalars[position * width + c] }
                    offset += width
                }
            }
        }
        var expectedGradient = Tensor(zeros: input.shape)
        var offset = 0
        for (branch, width) in zip(plainBranches, widths) {
            let slice = Tensor(shape: [3, 6, 5, width]) { out in
                for position in 0..<(3 * 6 * 5) {
                    for c in 0..<width { out[position * width + c] = upstream.scalars[position * 12 + offset + c] }
                }
            }
            expectedGradient.add(branch.reversed().reduce(slice) { $1.backward($0) })
            offset += width
        }

        let output = concat.forward(input, training: true)
        #expect(output == expected)
        #expect(output.scalars.contains(0) && output.scalars.contains { $0 > 0 })
        // The branches add their input gradients into one sum as they go (a convolution's col2im and a max-pool's
        // scatter straight onto it), so the sum rounds in another order than the reference's branch-by-branch one.
        let inputGradient = concat.backward(upstream)
        #expect(inputGradient.shape == expectedGradient.shape)
        #expect(zip(inputGradient.scalars, expectedGradient.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        #expect(inputGradient.scalars.contains { $0 != 0 })
        let plainParameters = plainBranches.flatMap { $0.flatMap(\.parameters) }
        #expect(concat.parameters.count == plainParameters.count)
        for (fused, plain) in zip(concat.parameters, plainParameters) {
            #expect(fused.gradient == plain.gradient, "\(fused.name)")
        }
        for (fused, plain) in zip(concat.buffers, plainBranches.flatMap { $0.flatMap(\.buffers) }) {
            #expect(fused.value == plain.value, "\(fused.name)")
        }
        // Inference reads the running statistics the same way (folded into the convolutions: equal up to rounding).
        let plainInference = plainBranches.map { $0.reduce(input) { $1.forward($0, training: false) } }
        let inference = concat.forward(input, training: false)
        #expect(inference.shape == [3, 6, 5, 12])
        #expect(inference[2, 5, 4, 11] == plainInference[3][2, 5, 4, 2])
        #expect(abs(inference[1, 3, 2, 4] - plainInference[1][1, 3, 2, 1]) <= 1e-5 * max(1, abs(inference[1, 3, 2, 4])))
    }

    @Test("Branches ending in batch norm + ReLU: gradients match finite differences")
    func gradientCheck() {
        var generator = SeededGenerator(seed: 22)
        let branches = Self.branches(seed: 5)
        // β = 3 keeps the ReLUs away from their kinks, where a finite difference would not see the derivative.
        for case let norm as BatchNorm in branches.joined() {
            norm.bias.value = Tensor(shape: norm.bias.value.shape, repeating: 3)
        }
        let concat = Concat(branches.map { Sequential($0) })
        // Distinct values 0.1 apart, more than twice the nudge, so the max-pool keeps its winners under each nudge;
        // nudges and the error floor sit above Float32 rounding noise, as in the Inception block's check.
        let count = 2 * 4 * 4 * 5
        let input = Tensor(shape: [2, 4, 4, 5],
                           values: (0..<count).map { Float($0 - count / 2) * 0.1 }.shuffled(using: &generator))
        let result = GradientCheck.check(concat, input: input, step: 3e-2, samples: 80, floor: 0.1)
        #expect(result.maximumError < 2e-2, "\(result)")
    }
}
