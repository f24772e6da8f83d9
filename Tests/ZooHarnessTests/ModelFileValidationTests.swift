import Foundation
import Testing
import ZooCore
import ZooHarness
import ZooInception
import ZooLinear
import ZooLogistic
import ZooMLP
import ZooNetwork
import ZooPerceptron
import ZooTensor
import ZooTree

/// Crafted model files: every check a family's loader makes, each expecting its typed error before any layer is
/// built, and `forward` refusing what it cannot answer.
@Suite struct ModelFileValidationTests {
    /// Three separable classes of 4 features.
    static let (inputs, labels): (Tensor, [Int]) = {
        let labels = (0..<30).map { $0 % 3 }
        let inputs = Tensor(shape: [30, 4]) { out in
            for (row, label) in labels.enumerated() {
                for j in 0..<4 { out[row * 4 + j] = Float((row * 7 + j * 3) % 5) / 10 + (j == label ? 1 : 0) }
            }
        }
        return (inputs, labels)
    }()

    static func fitted<M: Model>(_ model: M) throws -> M {
        try model.fit(inputs, labels, quiet: true)
        return model
    }

    static func mlpState() throws -> ModelState {
        try fitted(MLP(MLP.Configuration(hiddenSizes: [5]).overriding(.init(epochs: 1)))).modelState()
    }

    /// `state` with its hyperparameters JSON edited by `edit`.
    static func editingHyperparameters(_ state: ModelState, _ edit: (inout [String: Any]) -> Void) throws -> ModelState {
        var object = try JSONSerialization.jsonObject(with: Data(state.hyperparameters.utf8)) as! [String: Any]
        edit(&object)
        var edited = state
        edited.hyperparameters = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        return edited
    }

    static func isBadMetadata(_ error: any Error) -> Bool {
        if case .badMetadata? = error as? ModelFileError { return true }
        return false
    }

    static func isBadTensor(_ error: any Error, _ name: String? = nil) -> Bool {
        guard case let .badTensor(_, tensor, _)? = error as? ModelFileError else { return false }
        return name == nil || tensor == name
    }

    // MARK: Network families

    @Test func aHiddenWidthTooLargeToAllocateIsRefused() throws {
        let state = try Self.editingHyperparameters(try Self.mlpState()) {
            var configuration = $0["configuration"] as! [String: Any]
            configuration["hiddenSizes"] = [100_000_000_000]
            $0["configuration"] = configuration
        }
        #expect { try MLP(modelState: state) } throws: { Self.isBadMetadata($0) }
    }

    @Test func aNegativeInputSizeIsRefused() throws {
        let state = try Self.editingHyperparameters(try Self.mlpState()) { $0["inputSize"] = -1 }
        #expect { try MLP(modelState: state) } throws: { Self.isBadMetadata($0) }
    }

    @Test func hyperparametersThatDoNotAccountForTheStoredValuesAreRefused() throws {
        let state = try Self.editingHyperparameters(try Self.mlpState()) { $0["classCount"] = 4 }
        #expect { try MLP(modelState: state) } throws: { Self.isBadMetadata($0) }
        var extra = try Self.mlpState()
        extra.tensors["9.weight"] = .floats(Tensor(shape: [2], values: [1, 2]))
        #expect { try MLP(modelState: extra) } throws: { Self.isBadMetadata($0) }
    }

    @Test func aTensorOfTheRightSizeButTheWrongShapeIsRefused() throws {
        var state = try Self.mlpState()
        state.tensors["1.weight"] = .floats(Tensor(shape: [4, 5], repeating: 0.1))  // [5, 4] expected
        #expect { try MLP(modelState: state) } throws: { Self.isBadTensor($0, "1.weight") }
    }

    @Test func aNaNWeightIsRefused() throws {
        var state = try Self.mlpState()
        guard case var .floats(weight)? = state.tensors["1.weight"] else { throw ModelError.notFitted(family: "mlp") }
        weight.withUnsafeMutableBufferPointer { $0[3] = .nan }
        state.tensors["1.weight"] = .floats(weight)
        #expect { try MLP(modelState: state) } throws: { Self.isBadTensor($0, "1.weight") }
    }

    @Test func integersWhereFloatsBelongAreRefused() throws {
        var state = try Self.mlpState()
        state.tensors["1.bias"] = .integers(shape: [5], values: [0, 0, 0, 0, 0])
        #expect { try MLP(modelState: state) } throws: { Self.isBadTensor($0, "1.bias") }
    }

    @Test func aZeroStandardDeviationIsRefused() throws {
        var state = try Self.mlpState()
        state.tensors["0.std"] = .floats(Tensor(shape: [1], values: [0]))
        #expect { try MLP(modelState: state) } throws: { Self.isBadTensor($0, "0.std") }
    }

    @Test func outOfRangeTrainingSettingsAreRefused() throws {
        let logistic = try Self.fitted(LogisticRegression(.init().overriding(.init(epochs: 1)))).modelState()
        let state = try Self.editingHyperparameters(logistic) {
            var configuration = $0["configuration"] as! [String: Any]
            var training = configuration["training"] as! [String: Any]
            training["batchSize"] = 0
            configuration["training"] = training
            $0["configuration"] = configuration
        }
        #expect { try LogisticRegression(modelState: state) } throws: { Self.isBadMetadata($0) }
        let noClasses = try Self.editingHyperparameters(logistic) { $0["classCount"] = 0 }
        #expect { try LogisticRegression(modelState: noClasses) } throws: { Self.isBadMetadata($0) }
    }

    @Test func anInceptionWidthOutOfRangeOrNotMatchingTheTensorsIsRefused() throws {
        let model = InceptionNet(InceptionNet.Configuration().overriding(.init(batchSize: 4, epochs: 1)))
        try model.fit(Tensor(shape: [4, 8, 8, 1], repeating: 0.5), [0, 1, 0, 1], quiet: true)
        let state = try model.modelState()
        #expect(!state.hyperparameters.contains("width"))
        for width in [0, -1, 9, 1_000_000_000] as [Int] {
            let edited = try Self.editingHyperparameters(state) {
                var configuration = $0["configuration"] as! [String: Any]
                configuration["width"] = width
                $0["configuration"] = configuration
            }
            #expect { try InceptionNet(modelState: edited) } throws: { Self.isBadMetadata($0) }
        }
        // Width 2 declared over a width-1 network's tensors: the value count does not add up.
        let doubled = try Self.editingHyperparameters(state) {
            var configuration = $0["configuration"] as! [String: Any]
            configuration["width"] = 2
            $0["configuration"] = configuration
        }
        #expect { try InceptionNet(modelState: doubled) } throws: { Self.isBadMetadata($0) }
    }

    @Test func anInceptionShapeMustBeThreeSidesThatMakeTheInputSize() throws {
        let model = InceptionNet(InceptionNet.Configuration().overriding(.init(batchSize: 4, epochs: 1)))
        try model.fit(Tensor(shape: [4, 8, 8, 1], repeating: 0.5), [0, 1, 0, 1], quiet: true)
        let state = try model.modelState()
        #expect(try InceptionNet(modelState: state).inputShape == InputShape(height: 8, width: 8, channels: 1))
        for shape in [[8, 8], [8, 9, 1], [2, 2, 16], [0, 64, 1]] {
            let edited = try Self.editingHyperparameters(state) { $0["inputShape"] = shape }
            #expect { try InceptionNet(modelState: edited) } throws: { Self.isBadMetadata($0) }
        }
        let channels = try Self.editingHyperparameters(state) { $0["inputShape"] = [4, 4, 4]; $0["inputSize"] = 64 }
        #expect { try InceptionNet(modelState: channels) } throws: { Self.isBadMetadata($0) }
    }

    // MARK: Linear models

    @Test func aTransposedLeastSquaresMatrixLoadsButForwardRefusesInputsOfAnotherWidth() throws {
        let state = ModelState(hyperparameters: #"{"ridge":0.001,"solver":{"normalEquations":{}}}"#, tensors: [
            "coefficients": .floats(Tensor(shape: [10, 784], repeating: 0)),
            "intercept": .floats(Tensor(shape: [784], repeating: 0)),
        ])
        let model = try LinearRegression(modelState: state)
        #expect(throws: ModelError.shapeMismatch(family: "linear", expected: "[N, 10]", actual: [2, 784])) {
            try model.forward(Tensor(shape: [2, 784], repeating: 0.5))
        }
        var misfit = state
        misfit.tensors["intercept"] = .floats(Tensor(shape: [10], repeating: 0))
        #expect { try LinearRegression(modelState: misfit) } throws: { Self.isBadTensor($0, "intercept") }
        let negative = ModelState(hyperparameters: #"{"ridge":-1,"solver":{"normalEquations":{}}}"#,
                                  tensors: state.tensors)
        #expect { try LinearRegression(modelState: negative) } throws: { Self.isBadMetadata($0) }
    }

    @Test func weightsTooLargeForFloatGiveANonFiniteOutputErrorNotAnAnswer() throws {
        let state = ModelState(hyperparameters: #"{"ridge":0.001,"solver":{"normalEquations":{}}}"#, tensors: [
            "coefficients": .floats(Tensor(shape: [4, 3], repeating: 3e38)),
            "intercept": .floats(Tensor(shape: [3], repeating: 0)),
        ])
        let model = try LinearRegression(modelState: state)
        #expect(throws: ModelError.nonFiniteOutputs(family: "linear")) { try model.predict(Self.inputs) }
    }

    @Test func aPerceptronOfAnotherWidthRefusesTheInputs() throws {
        let configuration = try ModelState(hyperparameters: Perceptron.Configuration(), tensors: [:]).hyperparameters
        let state = ModelState(hyperparameters: configuration, tensors: [
            "weight": .floats(Tensor(shape: [10, 2], repeating: 1)), "bias": .floats(Tensor(shape: [10], repeating: 0)),
        ])
        let model = try Perceptron(modelState: state)
        #expect(throws: ModelError.self) { try model.predict(Tensor(shape: [1, 784], repeating: 1)) }
        var nan = state
        nan.tensors["bias"] = .floats(Tensor(shape: [10], repeating: .nan))
        #expect { try Perceptron(modelState: nan) } throws: { Self.isBadTensor($0, "bias") }
        let zeroEpochs = try Self.editingHyperparameters(state) { $0["epochs"] = 0 }
        #expect { try Perceptron(modelState: zeroEpochs) } throws: { Self.isBadMetadata($0) }
    }

    // MARK: Trees

    /// A root split on feature 0 with two leaves, 3 + 2 samples of 2 classes; `edit` changes the arrays first.
    static func treeState(featureCount: Int = 4, _ edit: (inout [String: [Int]]) -> Void = { _ in }) throws -> ModelState {
        var arrays = ["feature": [0, -1, -1], "left": [1, -1, -1], "right": [2, -1, -1],
                      "class_counts": [3, 2, 3, 0, 0, 2]]
        edit(&arrays)
        let hyperparameters = #"{"configuration":{"criterion":"gini","maxFeatures":{"all":{}},"minImpurityDecrease":0,"#
            + #""minSamplesLeaf":1,"minSamplesSplit":2,"seed":0},"featureCount":\#(featureCount)}"#
        let n = arrays["feature"]!.count
        return ModelState(hyperparameters: hyperparameters, tensors: [
            "feature": .integers(shape: [n], values: arrays["feature"]!),
            "left": .integers(shape: [n], values: arrays["left"]!),
            "right": .integers(shape: [n], values: arrays["right"]!),
            "threshold": .floats(Tensor(shape: [n], values: [0.5] + [Float](repeating: 0, count: n - 1))),
            "class_counts": .integers(shape: [n, 2], values: arrays["class_counts"]!),
        ])
    }

    @Test func aConsistentCraftedTreeLoadsAndPredicts() throws {
        let tree = try DecisionTree(modelState: try Self.treeState())
        #expect(try tree.predict(Tensor(shape: [2, 4], values: [0, 0, 0, 0, 1, 0, 0, 0])) == [0, 1])
        #expect(throws: ModelError.self) { try tree.predict(Tensor(shape: [1, 3], repeating: 0)) }
    }

    @Test(arguments: ["child out of range", "child before its parent (a cycle)", "feature out of range",
                      "negative feature at an inner node", "counts that overflow Int32 when summed",
                      "a root counting more samples than a tree holds", "values outside Int32"])
    func inconsistentTreeArraysAreRefused(_ problem: String) throws {
        let state = try Self.treeState { arrays in
            switch problem {
            case "child out of range": arrays["right"] = [7, -1, -1]
            case "child before its parent (a cycle)": arrays["left"] = [0, -1, -1]
            case "feature out of range": arrays["feature"] = [4, -1, -1]
            case "negative feature at an inner node": arrays["feature"] = [-2, -1, -1]
            case "counts that overflow Int32 when summed":
                arrays["class_counts"] = [Int(Int32.max), 2, Int(Int32.max), 0, Int(Int32.max), 2]
            case "a root counting more samples than a tree holds":
                arrays["class_counts"] = [2_000_000, 2, 1_999_999, 0, 1, 2]
            default: arrays["left"] = [1 << 40, -1, -1]
            }
        }
        #expect { try DecisionTree(modelState: state) } throws: { Self.isBadTensor($0) }
    }

    @Test func aTreeDeclaringAHugeFeatureCountIsRefused() throws {
        #expect { try DecisionTree(modelState: try Self.treeState(featureCount: 1 << 40)) } throws: {
            Self.isBadTensor($0)
        }
    }

    // MARK: Every family

    @Test func forwardBeforeFitThrowsForEveryFamily() throws {
        for kind in ModelKind.allCases {
            let model = try kind.makeModel()
            #expect(throws: ModelError.notFitted(family: kind.name)) { try model.forward(Tensor(zeros: [1, 784])) }
        }
    }

    @Test func everyFamilySavesAndLoadsThroughItsOwnType() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-families-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func roundTrip<M: PersistableModel>(_ model: M) throws {
            let url = folder.appendingPathComponent(M.familyName + ".safetensors")
            try Self.fitted(model).save(to: url)
            #expect(try M(contentsOf: url).predict(Self.inputs) == model.predict(Self.inputs), "\(M.familyName)")
        }
        try roundTrip(DecisionTree())
        try roundTrip(LinearRegression())
        try roundTrip(Perceptron())
        try roundTrip(LogisticRegression(.init().overriding(.init(epochs: 2))))
        try roundTrip(MLP(MLP.Configuration(hiddenSizes: [6]).overriding(.init(epochs: 2))))
        #expect(throws: ModelFileError.wrongFamily(file: folder.appendingPathComponent("mlp.safetensors").path,
                                                   expected: "tree", found: "mlp")) {
            try DecisionTree(contentsOf: folder.appendingPathComponent("mlp.safetensors"))
        }
    }

    /// Today's shipped files load through each family's own type, with no harness in between.
    @Test func theShippedZooLoadsThroughTheFamilyTypes() throws {
        let zoo = URL(fileURLWithPath: shippedZooFolder)
        #expect(try DecisionTree(contentsOf: zoo.appendingPathComponent("tree.safetensors")).nodes != nil)
        #expect(try LinearRegression(contentsOf: zoo.appendingPathComponent("linear.safetensors")).coefficients != nil)
        #expect(try Perceptron(contentsOf: zoo.appendingPathComponent("perceptron.safetensors")).weights != nil)
        #expect(try LogisticRegression(contentsOf: zoo.appendingPathComponent("logistic.safetensors")).classCount == 10)
        #expect(try MLP(contentsOf: zoo.appendingPathComponent("mlp.safetensors")).parameterCount == 203_530)
        let inception = try InceptionNet(contentsOf: zoo.appendingPathComponent("inception.safetensors"))
        #expect(inception.inputShape == InputShape(height: 28, width: 28, channels: 1) && inception.classCount == 10)
    }
}
