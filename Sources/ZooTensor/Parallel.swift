import CKernels
import Dispatch
import Foundation

/// Runs `body(chunk)` for `chunk` in `0..<chunks` on all cores. Worth it when each chunk takes more than ~10 µs
/// (a sleeping worker wakes tens of µs late, but the calling thread starts at once); `body` must write only
/// memory no other chunk touches.
public func parallelFor(_ chunks: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if chunks <= 1 {
        if chunks == 1 { body(0) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
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
