/// How many parallel chunks `count` items make: at most one per core, each at least `minimumChunk` items long.
/// `minimumChunk` is the caller's estimate of how many items make ≥ ~10 µs of work, below which a second
/// thread costs more than it gains. Chunk `i` of `n` covers `count · i / n ..< count · (i + 1) / n`.
public func chunkCount(_ count: Int, minimumChunk: Int) -> Int {
    Swift.max(1, Swift.min(processorCount, count / Swift.max(1, minimumChunk)))
}

/// Splits `0..<count` into `chunkCount(count, minimumChunk:)` contiguous ranges and runs `body` on every range in
/// parallel (on the calling thread alone when there is only one). `body` must write only memory that no other
/// range touches.
public func parallelChunks(_ count: Int, minimumChunk: Int,
                           _ body: @escaping @Sendable (Range<Int>) -> Void) {
    let chunks = chunkCount(count, minimumChunk: minimumChunk)
    if chunks == 1 {
        if count > 0 { body(0..<count) }
        return
    }
    parallelFor(chunks) { chunk in
        body(count * chunk / chunks..<count * (chunk + 1) / chunks)
    }
}
