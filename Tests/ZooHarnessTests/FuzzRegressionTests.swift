import Foundation
import Testing
import ZooCore
import ZooHarness
import ZooTensor

@Suite("Fuzz regression model files: parsed and loaded by every family, or refused with a typed error")
struct SafeTensorsFuzzRegressionTests {
    @Test func everyFamilyLoaderOnEveryInput() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = root.appendingPathComponent("Fuzz/regressions/safetensors")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        #expect(!names.isEmpty)
        for name in names.sorted() {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            let file: SafeTensorsFile
            do {
                file = try SafeTensorsFile.decode(bytes, file: name)
            } catch let error as ModelFileError {
                #expect(error.description.contains(name), "\(name): \(error)")
                continue
            }
            let state = ModelState(hyperparameters: file.metadata[ModelFile.Key.hyperparameters] ?? "{}",
                                   tensors: file.tensors, file: name)
            for family in persistableFamilies {
                do {
                    _ = try family.rebuilt(from: state)
                } catch is ModelFileError {
                } catch is ModelError {
                }
            }
        }
    }
}
