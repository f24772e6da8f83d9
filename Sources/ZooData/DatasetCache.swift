import Foundation

extension DatasetRegistry {
    /// Loads dataset `name` from `$ZOO_DATA/<name>` only, once per process (later calls share the same arrays):
    /// the one call tests in every module use, so a whole test run reads MNIST once. Throws
    /// `DatasetError.environmentNotSet` when `ZOO_DATA` is unset, so a test that needs MNIST fails clearly
    /// instead of passing silently.
    public static func loadFromEnvironment(_ name: String = "mnist",
                                           environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> DatasetSplit {
        let variable = DatasetLocator.environmentVariable
        guard let root = environment[variable], !root.isEmpty else {
            throw DatasetError.environmentNotSet(
                variable: variable, hint: "set it to the folder holding \(name)/, e.g. ../shared/datasets")
        }
        let descriptor = try descriptor(named: name)
        let folder = root + "/" + name
        return try cache.value(for: folder) {
            let missing = DatasetLocator.missingFiles(of: descriptor, in: folder)
            guard missing.isEmpty else {
                throw DatasetError.notFound(name: name, placesTried: ["\(folder) (missing \(missing.joined(separator: ", ")))"],
                                            hint: DatasetLocator.fetchHint(descriptor))
            }
            return try load(descriptor, from: folder)
        }
    }

    private static let cache = SplitCache()
}

/// Datasets already read in this process, by folder. Loading holds the lock, so concurrent tests asking for the
/// same dataset read it once.
private final class SplitCache: @unchecked Sendable {
    private let lock = NSLock()
    private var splits: [String: DatasetSplit] = [:]

    func value(for key: String, load: () throws -> DatasetSplit) throws -> DatasetSplit {
        lock.lock()
        defer { lock.unlock() }
        if let cached = splits[key] { return cached }
        let split = try load()
        splits[key] = split
        return split
    }
}
