import CKernels
import Dispatch

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
/// leaves it), at most the online ones.
public let processorCount: Int = {
    let online = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    let allowed = Int(zoo_allowed_cpu_count())
    return allowed > 0 ? Swift.min(online, allowed) : online
}()

#if canImport(Glibc)
import Glibc
#endif
