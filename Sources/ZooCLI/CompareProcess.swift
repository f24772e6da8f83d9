import Foundation

// Process policy of `zoo compare` (signals, the allocator), which the libraries leave to the executable.

/// Hands the allocator's free memory back to the system before each fit of a comparison, so that fits do not
/// inherit what earlier ones freed and each record's peak memory is its own (glibc `malloc_trim`; elsewhere
/// nothing). A few milliseconds.
func returnFreedMemory() {
    #if canImport(Glibc)
    _ = glibcMallocTrim(0)
    #endif
}

#if canImport(Glibc)
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// A `zoo compare` error with what to do on the command line.
struct CompareCommandError: Error, CustomStringConvertible {
    let description: String
}

/// Ctrl-C during a comparison: results.json is rewritten after every record, so stopping is safe at any moment
/// except during that write. The handler waits for a write in progress, says how many records are saved and how
/// to continue, and exits with status 130 (the shell's code for SIGINT).
final class InterruptibleWrites: @unchecked Sendable {
    private let lock = NSLock()
    private let folder: String
    private var saved = 0
    private var source: DispatchSourceSignal?

    private init(folder: String) {
        self.folder = folder
    }

    /// Catches SIGINT until `uninstall()`.
    static func install(folder: String) -> InterruptibleWrites {
        let writes = InterruptibleWrites(folder: folder)
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [writes] in writes.interrupted() }
        source.resume()
        writes.source = source
        return writes
    }

    /// Gives SIGINT back its default action.
    func uninstall() {
        source?.cancel()
        signal(SIGINT, SIG_DFL)
    }

    /// Runs `body` (a write of `count` records) so that Ctrl-C cannot cut it.
    func write(count: Int, _ body: () throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        try body()
        saved = count
    }

    private func interrupted() {
        lock.lock()  // held to the end: no write starts after this
        printProgress("\nInterrupted: \(saved) records are saved in \(folder)/results.json; "
                      + "run the same command with --resume to train the rest.")
        _exit(130)
    }
}
