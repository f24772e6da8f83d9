/// How many parallel chunks `count` items make: at most one per core, each at least `minimumChunk` items long.
/// `minimumChunk` is the caller's estimate of how many items make ≥ ~10 µs of work, below which a second
/// thread costs more than it gains. Chunk `i` of `n` covers `count · i / n ..< count · (i + 1) / n`.
public func chunkCount(_ count: Int, minimumChunk: Int) -> Int {
    Swift.max(1, Swift.min(processorCount, count / Swift.max(1, minimumChunk)))
}

/// Splits `0..<count` into contiguous ranges and runs `body` on every range in parallel, on
/// `chunkCount(count, minimumChunk:)` threads (on the calling thread alone when that is one). There are twice as
/// many ranges as threads, claimed by whichever thread is free, so a thread that starts late or loses its core
/// takes fewer of them. `body` must write only memory that no other range touches, and compute the same
/// however `0..<count` is split (elementwise and per-image work).
public func parallelChunks(_ count: Int, minimumChunk: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
    let threads = chunkCount(count, minimumChunk: minimumChunk)
    if threads == 1 {
        if count > 0 { body(0..<count) }
        return
    }
    let ranges = Swift.min(count, 2 * threads)
    runOnStepHelpers(ranges, threads: threads) { chunk in
        body(count * chunk / ranges..<count * (chunk + 1) / ranges)
    }
}
