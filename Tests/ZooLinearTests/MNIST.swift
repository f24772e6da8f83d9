import Foundation
import ZooData

/// MNIST for the accuracy tests, from `$ZOO_DATA/mnist` (loaded once per test process).
enum MNIST {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static let split: Result<DatasetSplit, Error> = Result {
        guard let root = ProcessInfo.processInfo.environment["ZOO_DATA"] else {
            throw Missing(description: "ZOO_DATA is not set: export ZOO_DATA=<folder holding mnist/> to run "
                          + "the MNIST accuracy tests")
        }
        let folder = "\(root)/mnist"
        let digits = (0...9).map(String.init)
        return DatasetSplit(
            train: try Dataset.load(name: "mnist/train", images: "\(folder)/train-images-idx3-ubyte.gz",
                                    labels: "\(folder)/train-labels-idx1-ubyte.gz", classNames: digits),
            test: try Dataset.load(name: "mnist/test", images: "\(folder)/t10k-images-idx3-ubyte.gz",
                                   labels: "\(folder)/t10k-labels-idx1-ubyte.gz", classNames: digits))
    }

    /// The training and test sets; throws (failing the test) when ZOO_DATA is unset or the files are bad.
    static func load() throws -> DatasetSplit { try split.get() }
}
