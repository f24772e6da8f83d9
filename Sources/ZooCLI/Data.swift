import ArgumentParser
import Foundation
import ZooData

extension Zoo {
    /// `zoo data info|fetch`: where the datasets are and how to get them.
    struct DataCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "data",
            abstract: "Show where a dataset is, or fetch it into Data/<dataset>.",
            subcommands: [Info.self, Fetch.self])
    }
}

extension Zoo.DataCommand {
    /// `zoo data info <dataset>`: where it was found, counts, image shape, class histogram.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print where a dataset was found, its sizes and its class histogram.")

        @Argument(help: "The dataset.")
        var dataset: DatasetChoice

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Folder to search first.", valueName: "dir"))
        var dataDirectory: String?

        @Flag(help: "Also check each file's checksum against the registry.")
        var verify = false

        func run() throws {
            let descriptor = dataset.descriptor
            let folder = try DatasetLocator(explicitDirectory: dataDirectory).locate(descriptor)
            let split = try DatasetRegistry.load(descriptor, from: folder)
            print("\(descriptor.name): \(descriptor.summary)")
            print("found in: \(folder)")
            print("train: \(split.train.count) images, test: \(split.test.count) images, image shape "
                  + split.train.imageShape.map(String.init).joined(separator: "x")
                  + ", \(descriptor.classNames.count) classes")
            if verify { try printChecksums(descriptor, folder: folder) }
            printHistogram(split)
        }

        private func printChecksums(_ descriptor: DatasetDescriptor, folder: String) throws {
            for role in DatasetFileRole.allCases {
                let file = descriptor.file(role)
                let path = folder + "/" + file.fileName
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("  \(file.uncompressedFileName): uncompressed, no published checksum to compare")
                    continue
                }
                let kind = try file.verify([UInt8](data), path: path)
                print("  \(file.fileName): \(kind.rawValue) ok")
            }
        }

        private func printHistogram(_ split: DatasetSplit) {
            let names = split.train.classNames
            let (train, test) = (split.train.classCounts, split.test.classCounts)
            let nameWidth = max(5, names.map(\.count).max() ?? 0)
            let widest = max(train.max() ?? 1, 1)
            print("class".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "   train    test")
            for (index, name) in names.enumerated() {
                let bar = String(repeating: "#", count: Int((40.0 * Double(train[index]) / Double(widest)).rounded()))
                print(name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                      + String(format: " %7d %7d  ", train[index], test[index]) + bar)
            }
        }
    }

    /// `zoo data fetch <dataset>`: copy or download the files into `Data/<dataset>`, checksums verified.
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy or download a dataset's files into Data/<dataset>, verifying their checksums.",
            discussion: "Without --from, --url-list or --base-url the files are downloaded from the "
                + "dataset's usual mirror. Files already in place with the right checksum are kept.")

        @Argument(help: "The dataset.")
        var dataset: DatasetChoice

        @Option(help: ArgumentHelp("Copy from this folder, which holds the published .gz files.",
                                   valueName: "dir"))
        var from: String?

        @Option(name: .customLong("url-list"),
                help: ArgumentHelp("Download the URLs listed in this file, one per line.", valueName: "file"))
        var urlList: String?

        @Option(name: .customLong("base-url"),
                help: ArgumentHelp("Download <url>/<file name> for each file.", valueName: "url"))
        var baseURL: String?

        @Option(help: ArgumentHelp("Folder to write into (default: Data/<dataset>).", valueName: "dir"))
        var out: String?

        /// The spelling before `--out`, still read (with a note).
        @Option(name: .customLong("destination"), help: .hidden)
        var oldDestination: String?

        func validate() throws {
            if [from, urlList, baseURL].compactMap({ $0 }).count > 1 {
                throw ValidationError("give at most one of --from, --url-list and --base-url")
            }
            if let baseURL, URL(string: baseURL)?.scheme == nil {
                throw ValidationError("--base-url '\(baseURL)' is not a URL (e.g. https://host/path/)")
            }
        }

        func run() throws {
            let descriptor = dataset.descriptor
            let source: DatasetSource
            if let from {
                source = .directory(from)
            } else if let urlList {
                source = try .urlList(file: urlList)
            } else {
                source = .baseURL(URL(string: baseURL ?? descriptor.mirror)!, for: descriptor)
            }
            if oldDestination != nil { noteRenamed("zoo data fetch --destination DIR", to: "zoo data fetch --out DIR") }
            let target = out ?? oldDestination ?? "Data/\(descriptor.name)"
            let fetcher = DatasetFetcher(descriptor: descriptor, destination: target)
            _ = try fetcher.fetch(from: source, progress: printProgress)
            print("\(descriptor.name) is in \(target)")
        }
    }
}
