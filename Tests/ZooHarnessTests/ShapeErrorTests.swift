import Testing
import ZooCore
import ZooData
import ZooHarness
import ZooTensor

/// A shape error names the family whose model refused the inputs, and what it expected, without naming a flag.
@Suite struct ShapeErrorTests {
    /// 30 tiny 8x8 images of three classes (a bright row per class), as `[30, 64]` rows.
    static let images: Dataset = {
        let labels = (0..<30).map { $0 % 3 }
        let pixels = labels.flatMap { label in
            (0..<64).map { index in UInt8(index / 8 == label * 3 ? 250 : (index * 7) % 40) }
        }
        return Dataset(name: "rows", pixels: pixels, labels: labels, imageShape: [8, 8], classNames: ["a", "b", "c"])
    }()

    /// `kind` fitted on `images` in one short epoch where it has epochs.
    static func fitted(_ kind: ModelKind) throws -> any Model {
        var options = ModelOptions()
        options.training.epochs = 1
        if kind == .mlp { options.hiddenSizes = [4] }
        let model = try kind.makeModel(options)
        try model.fit(kind.readsImages ? images.images : images.inputs, images.labels, quiet: true)
        return model
    }

    @Test(arguments: ModelKind.allCases)
    func forwardOnInputsOfAnotherWidthNamesTheFamily(kind: ModelKind) throws {
        let model = try Self.fitted(kind)
        do {
            _ = try model.forward(Tensor(shape: [2, 10], repeating: 0.5))
            Issue.record("\(kind) took [2, 10] inputs")
        } catch let error as ModelError {
            guard case let .shapeMismatch(family, expected, actual) = error else {
                Issue.record("\(kind): not a shape error: \(error)")
                return
            }
            #expect(family == kind.rawValue && actual == [2, 10] && expected.contains("64"), "\(error)")
            #expect(error.description.hasPrefix("\(kind.rawValue) expects [N, 64]"), "\(error)")
            #expect(error.description.hasSuffix("but the inputs have shape [2, 10]"), "\(error)")
            #expect(!error.description.contains("--"), "\(error)")
        }
    }

    @Test func fittingOnInputsOfTheWrongRankNamesTheFamily() throws {
        let flat = Tensor(shape: [30], repeating: 0.5)
        #expect(throws: ModelError.shapeMismatch(family: "tree", expected: "[N, features]", actual: [30])) {
            try ModelKind.tree.makeModel().fit(flat, Self.images.labels, quiet: true)
        }
        let notSquare = Tensor(shape: [30, 10], repeating: 0.5)
        do {
            try ModelKind.inception.makeModel().fit(notSquare, Self.images.labels, quiet: true)
            Issue.record("Inception took rows that are no square image")
        } catch let error as ModelError {
            #expect(error.description.hasPrefix("inception expects [N, height, width, channels] images"), "\(error)")
        }
    }
}
