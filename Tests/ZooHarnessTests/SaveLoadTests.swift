import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness
import ZooInception
import ZooLinear
import ZooLogistic
import ZooMLP
import ZooNetwork
import ZooPerceptron
import ZooTensor
import ZooTree

/// A fresh path in the temporary folder.
func temporaryModelPath(_ name: String) -> String {
    NSTemporaryDirectory() + "zoo-\(UUID().uuidString)-\(name).safetensors"
}

@Suite struct SaveLoadTests {
    /// Each family fitted quickly on a small part of MNIST (Inception on 64 images for one batch, enough to check
    /// that every tensor and buffer comes back).
    static func fittedModels() throws -> [any Model] {
        let split = try DatasetRegistry.loadFromEnvironment()
        let train = try split.train.prefix(300)
        let tree = DecisionTree(.init(maxDepth: 8))
        let linear = LinearRegression()
        let perceptron = Perceptron(.init(epochs: 2, averaged: true))
        let logistic = LogisticRegression(.init().overriding(.init(epochs: 1)))
        let mlp = MLP(MLP.Configuration(hiddenSizes: [32, 16], batchNorm: true).overriding(.init(epochs: 1)))
        for model in [tree, linear, perceptron, logistic, mlp] as [any Model] {
            try model.fit(train.inputs, train.labels, quiet: true)
        }
        let inception = InceptionNet(InceptionNet.Configuration().overriding(.init(epochs: 1)).seeded(3))
        let small = try train.prefix(64)
        try inception.fit(small.inputs, small.labels, quiet: true)
        return [tree, linear, perceptron, logistic, mlp, inception]
    }

    @Test func everyFamilyPredictsIdenticallyAfterSaveAndLoad() throws {
        let test = try DatasetRegistry.loadFromEnvironment().test.prefix(200)
        let provenance = ModelProvenance(dataset: "mnist", trainingSize: 300, seed: 0, testAccuracy: 0.5)
        let models = try Self.fittedModels()
        #expect(Set(models.map(\.family)) == Set(persistableFamilies.map { $0.familyName }),
                "every persistable family is covered")
        for model in models {
            let path = temporaryModelPath(model.family)
            defer { try? FileManager.default.removeItem(atPath: path) }
            try SavedModels.save(model, provenance: provenance, to: path)
            let loaded = try SavedModels.load(path)
            #expect(loaded.file.family == model.family)
            #expect(loaded.file.provenance == provenance)
            // Same predictions; the same scores up to rounding, since OpenBLAS may split a product over a
            // different number of threads while other tests run alongside.
            let (before, after) = try (model.forward(test.inputs), loaded.model.forward(test.inputs))
            #expect(try loaded.model.predict(test.inputs) == model.predict(test.inputs), "\(model.family)")
            #expect(before.shape == after.shape && zip(before.scalars, after.scalars).allSatisfy { abs($0 - $1) <= 1e-5 },
                    "\(model.family)")
            #expect(loaded.model.description == model.description, "\(model.family)")
        }
    }

    @Test func loadingAsAnotherFamilyIsRefused() throws {
        let model = try #require(try Self.fittedModels().first { $0.family == "logistic" } as? LogisticRegression)
        let path = temporaryModelPath("logistic")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile(model: model, provenance: ModelProvenance(dataset: "mnist", trainingSize: 1, seed: 0))
            .write(to: path)
        #expect(throws: ModelFileError.wrongFamily(file: path, expected: "mlp", found: "logistic")) {
            try ModelFile.read(path).model(as: MLP.self)
        }
        // Relabelling the file does not help: its hyperparameters and tensors do not describe an MLP.
        #expect(throws: ModelFileError.self) {
            var file = try ModelFile.read(path)
            file.family = "mlp"
            _ = try file.model(as: MLP.self)
        }
    }

    @Test func unknownFamilyAndDamagedFilesGiveTheirErrors() throws {
        let path = temporaryModelPath("dragon")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let state = ModelState(hyperparameters: "{}", tensors: ["w": .floats(Tensor(shape: [2], values: [1, 2]))])
        try ModelFile(family: "dragon", provenance: ModelProvenance(dataset: "mnist", trainingSize: 1, seed: 0),
                      state: state).write(to: path)
        #expect(throws: ModelFileError.unknownFamily(file: path, family: "dragon",
                                                     known: persistableFamilies.map { $0.familyName })) {
            try SavedModels.load(path)
        }
        let bytes = try #require(FileManager.default.contents(atPath: path))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: path))
        #expect {
            try SavedModels.load(path)
        } throws: { error in
            guard case .truncated? = error as? ModelFileError else { return false }
            return true
        }
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ModelFileError.self) { try SavedModels.load(path) }
        #expect(throws: ModelFileError.unreadable(file: path + ".missing", reason: "no such file")) {
            try SavedModels.load(path + ".missing")
        }
    }

    @Test func unfittedModelsCannotBeSaved() {
        for model in [DecisionTree(), Perceptron(), LogisticRegression(), MLP(), InceptionNet()] as [any Model] {
            #expect(throws: ModelError.notFitted(family: model.family)) {
                try SavedModels.save(model, provenance: ModelProvenance(dataset: "mnist", trainingSize: 0, seed: 0),
                                     to: temporaryModelPath("unfitted"))
            }
        }
    }
}
