import ZooCore
import ZooTensor

/// A tree file holds the configuration and input width as hyperparameters and the node arrays as tensors, as
/// scikit-learn's `tree_` names them: "feature", "left", "right" (I32 `[nodes]`), "threshold" (F32 `[nodes]`)
/// and "class_counts" (I32 `[nodes, classes]`). Loading checks that the arrays form one tree.
extension DecisionTree: PersistableModel {
    public static var familyName: String { "tree" }

    /// What a tree file records besides its nodes.
    private struct SavedHyperparameters: Codable {
        var configuration: Configuration
        var featureCount: Int
    }

    public func modelState() throws -> ModelState {
        guard let nodes else { throw ModelError.notFitted(family: family) }
        let n = nodes.nodeCount
        func integers(_ values: [Int32], _ shape: [Int]) -> StoredTensor {
            .integers(shape: shape, values: values.map(Int.init))
        }
        return try ModelState(
            hyperparameters: SavedHyperparameters(configuration: configuration, featureCount: nodes.featureCount),
            tensors: [
                "feature": integers(nodes.feature, [n]), "left": integers(nodes.left, [n]),
                "right": integers(nodes.right, [n]), "threshold": .floats(Tensor(shape: [n], values: nodes.threshold)),
                "class_counts": integers(nodes.classCounts, [n, nodes.classCount]),
            ])
    }

    public convenience init(modelState state: ModelState) throws {
        let saved = try state.decodeHyperparameters(SavedHyperparameters.self)
        try state.validateHyperparameters(saved.configuration.validate)
        try state.requireOnly(["feature", "left", "right", "threshold", "class_counts"])
        let feature = try state.integers("feature", shape: [-1])
        let n = feature.count
        func int32s(_ name: String, shape: [Int]) throws -> [Int32] {
            let values = try state.integers(name, shape: shape)
            let converted = values.compactMap(Int32.init(exactly:))
            guard converted.count == values.count else {
                throw ModelFileError.badTensor(file: state.file, tensor: name, reason: "has values outside Int32")
            }
            return converted
        }
        guard case let .integers(countsShape, _)? = state.tensors["class_counts"], countsShape.count == 2 else {
            throw ModelFileError.badTensor(file: state.file, tensor: "class_counts",
                                           reason: "is missing or not an integer [nodes, classes] array")
        }
        do {
            let nodes = try TreeNodes(
                featureCount: saved.featureCount, classCount: countsShape[1], feature: try int32s("feature", shape: [n]),
                threshold: try state.floats("threshold", shape: [n]).scalars, left: try int32s("left", shape: [n]),
                right: try int32s("right", shape: [n]), classCounts: try int32s("class_counts", shape: [n, -1]))
            self.init(nodes: nodes, configuration: saved.configuration)
        } catch let error as TreeError {
            throw ModelFileError.badTensor(file: state.file, tensor: "nodes", reason: "do not form a tree: \(error)")
        }
    }
}
