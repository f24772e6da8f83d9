import Foundation

/// Peak resident memory of this process, so a comparison can say how much memory each model needed.
///
/// `getrusage`'s `ru_maxrss` only ever grows. On Linux, writing `5` to /proc/self/clear_refs resets the peak
/// to the current resident size, which lets each model get its own peak; where that is not possible the
/// numbers stay monotonic (a model's peak is then the process's peak so far).
enum PeakMemory {
    #if canImport(Glibc)
    private static let selfWho = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    private static let selfWho = RUSAGE_SELF
    #endif

    /// Starts a new peak at the current resident size. Returns false where the peak cannot be reset.
    @discardableResult
    static func reset() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// Peak resident bytes since the process started or the last `reset()`.
    static func bytes() -> Int {
        var usage = rusage()
        guard getrusage(selfWho, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }
}
