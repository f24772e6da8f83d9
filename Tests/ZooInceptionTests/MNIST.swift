import Foundation
import Testing
import ZooData

/// Errors of the test setup itself.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
}

/// The MNIST training or test set from `$ZOO_DATA/mnist/`; throws (failing the test) when ZOO_DATA is unset.
func loadMNIST(training: Bool) throws -> Dataset {
    guard let root = ProcessInfo.processInfo.environment["ZOO_DATA"] else {
        throw TestSetupError(description: "ZOO_DATA is not set: export ZOO_DATA=<folder holding mnist/>")
    }
    let prefix = training ? "train" : "t10k"
    return try Dataset.load(name: "mnist-\(prefix)", images: "\(root)/mnist/\(prefix)-images-idx3-ubyte.gz",
                            labels: "\(root)/mnist/\(prefix)-labels-idx1-ubyte.gz",
                            classNames: (0..<10).map(String.init))
}
