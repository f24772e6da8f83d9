import CKernels

extension Tensor {
    /// Number of channels (the last axis) and of positions (everything before it) of a `[..., channels]` tensor:
    /// how channel-wise layers (bias, batch norm, pooling over NHWC) see their input.
    public var channelLayout: (positions: Int, channels: Int) {
        precondition(rank >= 1, "Tensor.channelLayout: a scalar has no channel axis")
        let channels = shape[rank - 1]
        return (channels == 0 ? 0 : count / channels, channels)
    }

    /// Per-channel sums over every position: `[..., channels] -> [channels]`, in parallel over positions.
    public func channelSums() -> Tensor {
        let (positions, channels) = channelLayout
        nonisolated(unsafe) let values = storage.pointer
        return Tensor.channelReduce(positions: positions, channels: channels) { range, sums in
            zoo_channel_sums(values + range.lowerBound * channels, range.count, channels, sums)
        }
    }

    /// A `[channels]` reduction over `positions` computed in parallel: `accumulate(range, sums)` adds the
    /// contribution of the positions in `range` into `sums` (zeroed, `channels` long); the partial sums of the
    /// chunks are then added in a fixed order, so the same input always gives the same result.
    public static func channelReduce(
        positions: Int, channels: Int,
        _ accumulate: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void
    ) -> Tensor {
        let chunks = Swift.max(1, Swift.min(processorCount, positions * channels / 8_192))
        let partial = Tensor(shape: [chunks, channels], repeating: 0)
        nonisolated(unsafe) let out = partial.storage.pointer
        parallelFor(chunks) { chunk in
            accumulate(positions * chunk / chunks..<positions * (chunk + 1) / chunks, out + chunk * channels)
        }
        return chunks == 1 ? partial.reshaped([channels]) : partial.sum(axis: 0)
    }
}
