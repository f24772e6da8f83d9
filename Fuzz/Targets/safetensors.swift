// libFuzzer target: the safetensors parser, then every family's loader on what it accepts (the model file's
// hyperparameters with the file's tensors, whatever family the metadata names). With ZOO_FUZZ_FORWARD=1 a model
// that loads also runs `forward` on one 28x28 input. Seeds: tiny fitted models of each family, made here
// (16 features, 3 classes: a few hundred bytes of weights, so most mutations land in the header and the
// hyperparameters, and each execution is cheap), and the shipped Zoo/ files that fit the 40 kB size limit
// (scripts/fuzz), full-size real files.
import Foundation
import ZooCore
import ZooHarness
import ZooTensor

let runForward = ProcessInfo.processInfo.environment["ZOO_FUZZ_FORWARD"] == "1"

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: Arguments) -> CInt {
    writeSeedsIfAsked { folder in
        var generator = SeededGenerator(seed: 1)
        let (count, features) = (30, 16)
        let inputs = Tensor(shape: [count, features]) { out in
            for i in 0..<(count * features) { out[i] = Float.random(in: 0...1, using: &generator) }
        }
        let labels = (0..<count).map { $0 % 3 }
        var options = ModelOptions()
        options.training.epochs = 1
        options.hiddenSizes = [4]
        options.maxDepth = 4
        for kind in ModelKind.allCases where kind != .inception {
            let model = try kind.makeModel(options)
            try model.fit(inputs, labels, quiet: true)
            try SavedModels.save(model, provenance: ModelProvenance(dataset: "fuzz", trainingSize: count, seed: 1),
                                 to: folder + "/\(kind.rawValue).safetensors")
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = try? SafeTensorsFile.decode(bytes(data, size), file: "fuzz") else { return 0 }
    _ = file.encode()
    let state = ModelState(hyperparameters: file.metadata[ModelFile.Key.hyperparameters] ?? "{}",
                           tensors: file.tensors, file: "fuzz")
    for family in persistableFamilies {
        guard let model = try? family.rebuilt(from: state) else { continue }
        _ = model.description
        if runForward { _ = try? model.forward(Tensor(shape: [1, 784], repeating: 0.5)) }
    }
    return 0
}
