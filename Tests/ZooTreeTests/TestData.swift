import Foundation
import ZooData
import ZooTensor

/// Why a test could not get its data.
struct TestDataError: Error, CustomStringConvertible {
    let description: String
}

/// MNIST from `$ZOO_DATA/mnist/`: the test fails with a clear message when ZOO_DATA is unset.
func loadMNIST() throws -> DatasetSplit {
    guard let root = ProcessInfo.processInfo.environment["ZOO_DATA"] else {
        throw TestDataError(description: "ZOO_DATA is not set: export ZOO_DATA=<folder holding mnist/> "
                            + "(e.g. /work/shared/datasets) to run the MNIST tests")
    }
    let digits = (0...9).map(String.init)
    func part(_ name: String) throws -> Dataset {
        try Dataset.load(name: "mnist/\(name)", images: "\(root)/mnist/\(name)-images-idx3-ubyte.gz",
                         labels: "\(root)/mnist/\(name)-labels-idx1-ubyte.gz", classNames: digits)
    }
    return DatasetSplit(train: try part("train"), test: try part("t10k"))
}

/// Random byte data: `features` columns, some with few distinct values (many ties), labels partly determined
/// by the first columns so trees have structure, the rest noise.
struct RandomBytes {
    let pixels: [UInt8]
    let labels: [Int]
    let featureCount: Int
    let classCount: Int

    init(samples: Int, featureCount: Int = 6, classCount: Int = 3, seed: UInt64, constantFeature: Int? = nil) {
        var generator = SeededGenerator(seed: seed)
        var pixels = [UInt8]()
        var labels = [Int]()
        for _ in 0..<samples {
            var row = [UInt8]()
            for feature in 0..<featureCount {
                let range = feature % 3 == 0 ? 4 : feature % 3 == 1 ? 20 : 256
                row.append(feature == constantFeature ? 7 : UInt8(Int(generator.next() % UInt64(range))))
            }
            let signal = (Int(row[0]) + Int(row[1]) / 5 + Int(generator.next() % 3)) % classCount
            labels.append(generator.next() % 4 == 0 ? Int(generator.next() % UInt64(classCount)) : signal)
            pixels += row
        }
        self.pixels = pixels
        self.labels = labels
        self.featureCount = featureCount
        self.classCount = classCount
    }

    /// The same data as Float inputs `[N, features]`, each byte divided by 255.
    var inputs: Tensor {
        Tensor(shape: [labels.count, featureCount], values: pixels.map { Float($0) / 255 })
    }

    func value(_ sample: Int, _ feature: Int) -> Int { Int(pixels[sample * featureCount + feature]) }
}
