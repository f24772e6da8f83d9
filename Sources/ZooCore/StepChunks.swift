import CKernels
import ZooTensor

/// Runs `body` over `0..<count` in contiguous ranges on all cores, like `parallelChunks`, but on CKernels' step
/// helpers (`zoo_parallel_run`): threads that stay awake for a quarter millisecond between calls, so the
/// back-to-back products and the optimizer update of one training step do not each pay a sleeping worker's
/// wake-up. Uses `chunkCount(count, minimumChunk:)` threads and twice as many ranges, claimed by whichever thread
/// is free, so a late helper takes fewer of them. `body` must write only memory no other range touches, and give
/// the same result whichever thread runs a range (the ranges themselves depend only on `count` and the thread
/// count).
public func stepChunks(_ count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
    let threads = chunkCount(count, minimumChunk: minimumChunk)
    guard threads > 1 else {
        if count > 0 { body(0..<count) }
        return
    }
    let ranges = min(count, 2 * threads)
    withoutActuallyEscaping(body) { body in
        let job = StepJob(count: count, body: body)
        withExtendedLifetime(job) {
            zoo_parallel_run({ context, chunk, chunks in
                let job = Unmanaged<StepJob>.fromOpaque(context!).takeUnretainedValue()
                job.body(job.count * chunk / chunks..<job.count * (chunk + 1) / chunks)
            }, Unmanaged.passUnretained(job).toOpaque(), ranges, threads)
        }
    }
}

/// What the C side hands back to each chunk: the range's length to split and the body to run.
private final class StepJob {
    let count: Int
    let body: (Range<Int>) -> Void

    init(count: Int, body: @escaping (Range<Int>) -> Void) {
        self.count = count
        self.body = body
    }
}
