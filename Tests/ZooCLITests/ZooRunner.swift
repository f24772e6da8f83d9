import Foundation
import Testing

/// What one run of an executable did.
struct CommandRun: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }

    /// stdout as one JSON object.
    func jsonObject() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "not one JSON object:\n\(self)")
    }

    /// Each line of stdout as a JSON object.
    func jsonLines() throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }
}

/// The built executables: `$ZOO_EXECUTABLE` (for `zoo`) or the folder holding this test bundle, which SwiftPM
/// fills with every product of the same build (`.build/<triple>/release/`).
enum Executables {
    /// The test process's own folder, and its parents up to the build folder (on macOS the bundle's binary sits
    /// in `zooPackageTests.xctest/Contents/MacOS`).
    private static let searchFolders: [URL] = {
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: "/proc/self/exe") {
            folder = Bundle.main.bundleURL
        }
        var folders: [URL] = []
        for _ in 0..<4 {
            folders.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        return folders
    }()

    /// The executable `name`, or nil when no build holds it.
    static func locate(_ name: String) -> URL? {
        if name == "zoo", let explicit = ProcessInfo.processInfo.environment["ZOO_EXECUTABLE"] {
            return URL(fileURLWithPath: explicit)
        }
        return searchFolders.map { $0.appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// Runs the built `zoo` with `arguments` (see `runExecutable`).
func zoo(_ arguments: [String], in directory: URL? = nil, environment: [String: String?] = [:]) throws -> CommandRun {
    try runExecutable("zoo", arguments, in: directory, environment: environment)
}

/// Runs the built `zoo-bench` with `arguments` (see `runExecutable`).
func zooBench(_ arguments: [String]) throws -> CommandRun {
    try runExecutable("zoo-bench", arguments)
}

/// Runs the built `name` executable with `arguments` in `directory`, with `environment` changes on top of this
/// process's environment (a nil value removes the variable); waits for it and returns what it printed.
func runExecutable(_ name: String, _ arguments: [String], in directory: URL? = nil,
                   environment changes: [String: String?] = [:]) throws -> CommandRun {
    let executable = try #require(Executables.locate(name),
                                  "no built `\(name)` next to the tests: run `swift build -c release` first, or set ZOO_EXECUTABLE")
    let scratch = try TemporaryFolder()
    let outPath = scratch.url.appendingPathComponent("stdout").path
    let errPath = scratch.url.appendingPathComponent("stderr").path
    try Data().write(to: URL(fileURLWithPath: outPath))
    try Data().write(to: URL(fileURLWithPath: errPath))
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in changes { environment[key] = value }
    process.environment = environment
    // Files, not pipes: a chatty child cannot fill a pipe and wait for a reader that waits for it.
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return CommandRun(status: process.terminationStatus,
                      stdout: try String(contentsOfFile: outPath, encoding: .utf8),
                      stderr: try String(contentsOfFile: errPath, encoding: .utf8))
}

/// `$ZOO_DATA`, required by the tests that read MNIST.
func requireDatasets() throws -> String {
    try #require(ProcessInfo.processInfo.environment["ZOO_DATA"],
                 "set ZOO_DATA to the folder holding mnist/ (e.g. ZOO_DATA=/work/shared/datasets)")
}

/// A fresh empty folder, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// `name` inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The repository's root, found from this file's path (for `Zoo/`, the pretrained models).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
