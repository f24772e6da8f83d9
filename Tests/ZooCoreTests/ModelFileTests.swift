import Foundation
import Testing
import ZooCore
import ZooTensor

/// A tiny persistable model: one weight matrix `[features, classes]`, scores = inputs x weight.
final class ProbeModel: PersistableModel {
    struct Hyperparameters: Codable, Equatable {
        var classCount = 3
        var scale: Float = 0.5
    }
    static let familyName = "probe"
    let hyperparameters: Hyperparameters
    var weight: Tensor?

    init(_ hyperparameters: Hyperparameters = .init()) { self.hyperparameters = hyperparameters }

    init(modelState state: ModelState) throws {
        hyperparameters = try state.decodeHyperparameters(Hyperparameters.self)
        weight = try state.floats("weight", shape: [-1, hyperparameters.classCount])
    }

    func modelState() throws -> ModelState {
        guard let weight else { throw ModelError.notFitted(family: family) }
        return try ModelState(hyperparameters: hyperparameters, tensors: ["weight": .floats(weight)])
    }

    var family: String { Self.familyName }
    var description: String { "probe" }
    var parameterCount: Int { weight?.count ?? 0 }
    func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        weight = Tensor(shape: [inputs.columns, hyperparameters.classCount]) { out in
            for i in 0..<out.count { out[i] = Float(i % 7) * hyperparameters.scale }
        }
    }
    func forward(_ inputs: Tensor) -> Tensor { Tensor.matmul(inputs, weight!) }
    func loss(_ outputs: Tensor, _ targets: [Int]) -> Float { 0 }
}

/// Another family, to check that loading refuses the wrong one.
final class OtherModel: PersistableModel {
    static let familyName = "other"
    init() {}
    init(modelState state: ModelState) throws {}
    func modelState() throws -> ModelState { ModelState(hyperparameters: "{}", tensors: [:]) }
    var family: String { Self.familyName }
    var description: String { "other" }
    var parameterCount: Int { 0 }
    func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {}
    func forward(_ inputs: Tensor) -> Tensor { inputs }
    func loss(_ outputs: Tensor, _ targets: [Int]) -> Float { 0 }
}

@Suite struct ModelFileTests {
    let provenance = ModelProvenance(dataset: "mnist", trainingSize: 600, seed: 7, testAccuracy: 0.9125)

    func savedProbe() throws -> (ProbeModel, String) {
        let model = ProbeModel(.init(classCount: 4, scale: 0.25))
        try model.fit(Tensor(shape: [2, 5], repeating: 1), [0, 1])
        let path = temporaryPath("probe.safetensors")
        try ModelFile(model: model, provenance: provenance).write(to: path)
        return (model, path)
    }

    @Test func saveLoadKeepsStateAndProvenance() throws {
        let (model, path) = try savedProbe()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try ModelFile.read(path)
        #expect(file.family == "probe")
        #expect(file.provenance == provenance)
        let loaded = try file.model(as: ProbeModel.self)
        #expect(loaded.hyperparameters == model.hyperparameters)
        let inputs = Tensor(shape: [3, 5], values: (0..<15).map { Float($0) / 3 })
        #expect(try loaded.forward(inputs) == model.forward(inputs))
    }

    @Test func unfittedModelCannotBeSaved() {
        #expect(throws: ModelError.notFitted(family: "probe")) {
            try ModelFile(model: ProbeModel(), provenance: provenance)
        }
    }

    @Test func wrongFamilyIsRefused() throws {
        let (_, path) = try savedProbe()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ModelFileError.wrongFamily(file: path, expected: "other", found: "probe")) {
            try ModelFile.read(path).model(as: OtherModel.self)
        }
    }

    @Test func misshapenTensorIsRefused() throws {
        var file = ModelFile(family: "probe", provenance: provenance,
                             state: try ModelState(hyperparameters: ProbeModel.Hyperparameters(),
                                                   tensors: ["weight": .floats(Tensor(shape: [5, 2], repeating: 0))]))
        #expect(throws: ModelFileError.self) { try file.model(as: ProbeModel.self) }
        file.state.tensors = [:]
        #expect(throws: ModelFileError.badTensor(file: "", tensor: "weight", reason: "is missing")) {
            try file.model(as: ProbeModel.self)
        }
        file.state.tensors = ["weight": .integers(shape: [5, 3], values: Array(repeating: 0, count: 15))]
        #expect(throws: ModelFileError.self) { try file.model(as: ProbeModel.self) }
    }

    @Test func badHyperparametersAreRefused() throws {
        let file = ModelFile(family: "probe", provenance: provenance,
                             state: ModelState(hyperparameters: #"{"classCount":"three"}"#,
                                               tensors: ["weight": .floats(Tensor(shape: [5, 3], repeating: 0))]))
        #expect(throws: ModelFileError.self) { try file.model(as: ProbeModel.self) }
    }

    @Test func plainSafetensorsWithoutZooMetadataIsRefused() throws {
        let path = temporaryPath("plain.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensorsFile(tensors: ["w": .floats(Tensor(shape: [1], values: [1]))],
                            metadata: ["format": "pt"]).write(to: path)
        #expect(throws: ModelFileError.badMetadata(file: path, key: "format", reason: "is 'pt', not 'zoo'")) {
            try ModelFile.read(path)
        }
    }
}
