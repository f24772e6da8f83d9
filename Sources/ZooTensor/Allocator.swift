/// Makes glibc's malloc keep freed tensor buffers (up to 64 MB each) in the heap for reuse, instead of returning
/// each one to the kernel and taking fresh zeroed pages for the next (mmap, page faults): a training loop
/// allocates and frees the same few batch-sized tensors every step, and that churn cost about 6% of an MLP's
/// training time. Process-wide and idempotent; a no-op on other C libraries.
public func retainFreedTensorMemory() {
    _ = allocatorTuned
}

private let allocatorTuned: Bool = {
    #if os(Linux)
    // <malloc.h> is not part of Swift's Glibc module: its two constants and function, as glibc defines them.
    let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3
    _ = glibcMallopt(mmapThreshold, 64 << 20)
    _ = glibcMallopt(trimThreshold, 256 << 20)
    #endif
    return true
}()

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
