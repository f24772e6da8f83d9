import CKernels
import Testing
import ZooTensor

/// Batch norm's per-channel reductions (CKernels, four rows per pass) against the one-row-at-a-time loops they
/// replace, written out in Swift in Float: the same additions in the same order, so the sums must be equal bit
/// for bit (a training run's bytes depend on it). Row counts cover every remainder of the four-row blocks;
/// channel counts a single lane, a tail after a full vector, and a block wider than one vector.
@Suite("Batch norm reduction kernels")
struct ReductionKernelTests {
    static let shapes: [(positions: Int, channels: Int)] = [
        (0, 3), (1, 1), (3, 19), (4, 8), (5, 19), (6, 40), (7, 12), (9, 1), (130, 24),
    ]

    /// `count` values in -2...3, every fourth one exactly 0 (where a ReLU mask cuts).
    private static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return Tensor.uniform([Swift.max(count, 1)], in: -2...3, using: &generator).scalars.prefix(count)
            .enumerated().map { $0.offset % 4 == 3 ? 0 : $0.element }
    }

    @Test("zoo_channel_sums and zoo_channel_squared_deviations equal row-by-row sums", arguments: shapes)
    func channelSums(positions: Int, channels: Int) {
        let x = Self.values(positions * channels, seed: 1)
        let mean = Self.values(channels, seed: 2)
        let start = Self.values(channels, seed: 3)
        var expectedSums = start, expectedSquares = start
        for p in 0..<positions {
            for c in 0..<channels {
                expectedSums[c] += x[p * channels + c]
                let d = x[p * channels + c] - mean[c]
                expectedSquares[c] += d * d
            }
        }
        var sums = start, squares = start
        zoo_channel_sums(x, positions, channels, &sums)
        zoo_channel_squared_deviations(x, mean, positions, channels, &squares)
        #expect(sums.map(\.bitPattern) == expectedSums.map(\.bitPattern))
        #expect(squares.map(\.bitPattern) == expectedSquares.map(\.bitPattern))
    }

    @Test("zoo_rectified_batchnorm_gradient_sums equals row-by-row sums, with and without the ReLU mask, on strided rows",
          arguments: shapes)
    func gradientSums(positions: Int, channels: Int) {
        let stride = channels + 5
        let dy = Self.values(positions * stride, seed: 4)
        let y = Self.values(positions * stride, seed: 5)
        let xhat = Self.values(positions * channels, seed: 6)
        let start = Self.values(2 * channels, seed: 7)
        for masked in [false, true] {
            var expected = start
            for p in 0..<positions {
                for c in 0..<channels {
                    let g = !masked || y[p * stride + c] > 0 ? dy[p * stride + c] : 0
                    expected[c] += g
                    expected[channels + c] += g * xhat[p * channels + c]
                }
            }
            var sums = start
            y.withUnsafeBufferPointer { rectified in
                zoo_rectified_batchnorm_gradient_sums(dy, stride, masked ? rectified.baseAddress : nil, stride, xhat,
                                                      positions, channels, &sums)
            }
            #expect(sums.map(\.bitPattern) == expected.map(\.bitPattern), "masked: \(masked)")
        }
    }
}
