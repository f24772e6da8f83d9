// Shared by every fuzz target (compiled into each): the libFuzzer entry points' plumbing and seed writing.
import Foundation

/// The input as an array.
func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// When `ZOO_FUZZ_WRITE_SEEDS` names a folder, `write` fills it with the target's seed corpus and the process
/// exits: `scripts/fuzz` makes the generated part of each corpus this way, from the zoo's own writers.
func writeSeedsIfAsked(_ write: (String) throws -> Void) {
    guard let folder = ProcessInfo.processInfo.environment["ZOO_FUZZ_WRITE_SEEDS"], !folder.isEmpty else { return }
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try write(folder)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("cannot write seeds to \(folder): \(error)\n".utf8))
        exit(1)
    }
}

/// Writes `contents` to `folder/name`.
func seed(_ contents: [UInt8], _ folder: String, _ name: String) throws {
    try Data(contents).write(to: URL(fileURLWithPath: folder + "/" + name))
}

/// libFuzzer's initialisation hook's C signature.
public typealias Arguments = UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
