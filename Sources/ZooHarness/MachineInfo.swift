import Foundation
import ZooTensor

/// Where results were measured: timings mean little without the CPU, the BLAS kernels and the build.
public struct MachineInfo: Codable, Equatable, Sendable {
    /// CPU model name from /proc/cpuinfo ("AMD EPYC"), or "unknown".
    public var cpu: String
    /// Logical cores the process may use.
    public var cores: Int
    /// OpenBLAS kernel set in use ("Haswell", "SkylakeX", ...); null for peers that do not report it.
    public var openBLASCore: String?
    /// Swift compiler version the binary was built with; null for peers.
    public var swiftVersion: String?
    /// `git rev-parse HEAD` of the working directory, or "unknown" outside a checkout.
    public var gitCommit: String
    /// When the run started, ISO 8601 in UTC.
    public var date: String

    public init(cpu: String, cores: Int, openBLASCore: String?, swiftVersion: String?, gitCommit: String,
                date: String) {
        self.cpu = cpu
        self.cores = cores
        self.openBLASCore = openBLASCore
        self.swiftVersion = swiftVersion
        self.gitCommit = gitCommit
        self.date = date
    }

    enum CodingKeys: String, CodingKey {
        case cpu, cores, date
        case openBLASCore = "openblas_core"
        case swiftVersion = "swift_version"
        case gitCommit = "git_commit"
    }

    /// This machine, now.
    public static func current(date: Date = Date()) -> MachineInfo {
        MachineInfo(cpu: cpuModelName() ?? "unknown", cores: processorCount,
                    openBLASCore: openBLASCoreName(), swiftVersion: compilerVersion, gitCommit: gitCommit(),
                    date: ISO8601DateFormatter().string(from: date))
    }

    /// The first "model name" of /proc/cpuinfo ("AMD EPYC 9R45"): the one reader of that file. Nil where there
    /// is no such file or line (macOS, some ARM kernels).
    static func cpuModelName(cpuinfo path: String = "/proc/cpuinfo") -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// The compiler that built this binary, known at compile time (the toolchain may be gone at run time).
    private static var compilerVersion: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    private static func gitCommit() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "unknown"
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let commit = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !commit.isEmpty else { return "unknown" }
        return commit
    }
}
