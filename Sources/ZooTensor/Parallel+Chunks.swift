import CKernels

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
    stepChunks(count, minimumChunk: minimumChunk, body)
}

/// `parallelChunks` for a body the compiler cannot check as `Sendable` (one that writes through pointers into
/// the caller's buffers, as a training step's products, optimizer update and augmentation do): the same ranges
/// on the same threads, CKernels' step helpers (`zoo_parallel_run`). The caller promises what `parallelChunks`
/// asks of its body: each range writes only its own memory, and the result does not depend on which thread
/// runs it (the ranges themselves depend only on `count` and the thread count).
public func stepChunks(_ count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
    let threads = chunkCount(count, minimumChunk: minimumChunk)
    guard threads > 1 else {
        if count > 0 { body(0..<count) }
        return
    }
    let ranges = Swift.min(count, 2 * threads)
    withoutActuallyEscaping(body) { body in
        let job = ChunksJob(count: count, body: body)
        withExtendedLifetime(job) {
            zoo_parallel_run({ context, chunk, chunks in
                let job = Unmanaged<ChunksJob>.fromOpaque(context!).takeUnretainedValue()
                job.body(job.count * chunk / chunks..<job.count * (chunk + 1) / chunks)
            }, Unmanaged.passUnretained(job).toOpaque(), ranges, threads)
        }
    }
}

/// What the C side hands back to each range: the length to split and the body to run.
private final class ChunksJob {
    let count: Int
    let body: (Range<Int>) -> Void

    init(count: Int, body: @escaping (Range<Int>) -> Void) {
        self.count = count
        self.body = body
    }
}
