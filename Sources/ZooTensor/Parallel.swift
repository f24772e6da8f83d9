import CKernels
import Foundation

/// Runs `body(chunk)` for `chunk` in `0..<chunks` on all cores. Worth it when each chunk takes more than ~10 µs;
/// `body` must write only memory no other chunk touches, and compute the same whichever thread runs it.
///
/// The chunks run on CKernels' step helpers (`zoo_parallel_run`), the threads that the products and the
/// optimizer update of a training step already use: they stay awake for a quarter millisecond after a loop, so
/// the hundred-odd short loops of an Inception training step (a convolution, its batch norm's statistics and
/// affine pass, the next convolution) start on every core at once instead of each waiting ~40 µs for a sleeping
/// worker, and one pool means no spinning helper takes a core from another pool's worker. Each chunk is claimed
/// by whichever thread is free, the caller included. A loop started while the helpers are busy (inside a chunk,
/// or from another thread) runs its chunks one after the other on its own thread.
public func parallelFor(_ chunks: Int, _ body: @escaping @Sendable (Int) -> Void) {
    runOnStepHelpers(chunks, threads: Swift.min(chunks, processorCount), body)
}

/// `parallelFor`'s work on at most `threads` threads, the caller and `threads - 1` step helpers: a loop may
/// have more chunks than threads, so that a thread that starts late (or loses its core) claims fewer of them.
func runOnStepHelpers(_ chunks: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if chunks <= 1 || threads <= 1 {
        for chunk in 0..<Swift.max(0, chunks) { body(chunk) }
        return
    }
    let job = ParallelJob(body)
    withExtendedLifetime(job) {
        zoo_parallel_run({ context, chunk, _ in
            Unmanaged<ParallelJob>.fromOpaque(context!).takeUnretainedValue().body(chunk)
        }, Unmanaged.passUnretained(job).toOpaque(), chunks, threads)
    }
}

/// The body of one `parallelFor`, handed to the C side as its context.
private final class ParallelJob {
    let body: @Sendable (Int) -> Void

    init(_ body: @escaping @Sendable (Int) -> Void) {
        self.body = body
    }
}

/// Number of cores this process may use, read once (the chunking of small tensors asks ~50 times per Inception
/// forward pass): the CPUs in its affinity mask (what `taskset` or a Slurm allocation that binds tasks to CPUs
/// leaves it), at most the online ones, and at most `ZOO_THREADS` when that is set to a whole number ≥ 1 (how
/// several zoo processes share one machine, as `OMP_NUM_THREADS` does for PyTorch; `checkThreadLimit` tells an
/// executable whether the variable is unusable).
public let processorCount: Int = {
    let online = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    let allowed = Int(zoo_allowed_cpu_count())
    let cores = allowed > 0 ? Swift.min(online, allowed) : online
    guard case let .limit(threads)? = threadLimit(ProcessInfo.processInfo.environment[threadLimitVariable]) else {
        return cores
    }
    return Swift.min(cores, threads)
}()

/// The environment variable that caps `processorCount`.
public let threadLimitVariable = "ZOO_THREADS"

/// What a `ZOO_THREADS` value asks for: nil when unset or empty.
enum ThreadLimit: Equatable {
    case limit(Int)
    case invalid
}

func threadLimit(_ value: String?) -> ThreadLimit? {
    guard let value, !value.isEmpty else { return nil }
    guard let threads = Int(value), threads >= 1 else { return .invalid }
    return .limit(threads)
}

/// A `ZOO_THREADS` value that is not a thread count.
public struct ThreadLimitError: Error, CustomStringConvertible, Equatable {
    public let value: String

    public init(value: String) {
        self.value = value
    }

    public var description: String {
        "\(threadLimitVariable)=\(value) is not a thread count: set it to a whole number of at least 1, or unset it"
    }
}

/// Throws `ThreadLimitError` when `environment`'s `ZOO_THREADS` is set to something other than a whole number
/// ≥ 1. `processorCount` ignores such a value; an executable should refuse it instead (`zoo` and `zoo-bench` do).
public func checkThreadLimit(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    if threadLimit(environment[threadLimitVariable]) == .invalid, let value = environment[threadLimitVariable] {
        throw ThreadLimitError(value: value)
    }
}

#if canImport(Glibc)
import Glibc
#endif
