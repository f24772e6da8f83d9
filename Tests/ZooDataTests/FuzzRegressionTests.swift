import Foundation
import Testing
import ZooData

/// The inputs under `Fuzz/regressions/<target>/` (crashes the fuzzers found, and hand-made hostile files), read
/// from the source tree. A missing folder is an error, so the replay cannot pass by finding nothing.
func fuzzRegressions(_ target: String, filePath: String = #filePath) throws -> [(name: String, bytes: [UInt8])] {
    let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let folder = root.appendingPathComponent("Fuzz/regressions/\(target)")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    return try names.map { ($0, [UInt8](try Data(contentsOf: folder.appendingPathComponent($0)))) }
}

@Suite("Fuzz regression inputs: each is refused with a typed error (or read), never a crash")
struct FuzzRegressionTests {
    @Test func idx() throws {
        let inputs = try fuzzRegressions("idx")
        #expect(!inputs.isEmpty)
        for (name, input) in inputs where !input.isEmpty {
            let file = Array(input.dropFirst())
            do {
                if input[0] & 1 == 0 {
                    _ = try IDX.decodeImages(file, file: name, maximumBytes: 1 << 26)
                } else {
                    _ = try IDX.decodeLabels(file, file: name, maximumBytes: 1 << 26)
                }
            } catch let error as DatasetError {
                #expect(error.description.contains(name), "\(name): \(error)")
            }
        }
    }

    @Test func png() throws {
        let inputs = try fuzzRegressions("png")
        #expect(!inputs.isEmpty)
        for (name, input) in inputs {
            do {
                let digit = try DigitPreprocessing.mnistDigit(try PNG.decodeGray(input, source: name), source: name)
                #expect(DigitPreprocessing.inputTensor(digit).shape == [1, 784])
            } catch let error as PNGError {
                #expect(error.description.contains(name), "\(name): \(error)")
            } catch let error as DigitError {
                #expect(error.description.contains(name), "\(name): \(error)")
            }
        }
    }

    @Test func csv() throws {
        let inputs = try fuzzRegressions("csv")
        #expect(!inputs.isEmpty)
        for (name, input) in inputs {
            do {
                let table = try CSVTable(parsing: String(decoding: input, as: UTF8.self), source: name)
                _ = try table.numericMatrix(columns: table.columnNames)
            } catch let error as CSVError {
                #expect(error.description.contains(name), "\(name): \(error)")
            }
        }
    }
}
