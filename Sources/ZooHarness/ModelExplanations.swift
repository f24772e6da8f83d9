import ZooCore
import ZooInception
import ZooLinear
import ZooLogistic
import ZooMLP
import ZooNN
import ZooPerceptron
import ZooTensor
import ZooTree

/// What `zoo explain` shows for each family, in the family's own terms.
public enum ModelExplanations {
    /// The explanation of `model` (named `name` in file names and headings): per-class pixel weights for the
    /// perceptron, linear (one-hot targets) and logistic regression, the first layer's strongest feature
    /// detectors for the MLP, the top `treeDepth` levels of rules for a tree. `classNames` label the classes,
    /// `imageShape` the pixels.
    public static func section(for model: any Model, name: String, classNames: [String], imageShape: [Int] = [28, 28],
                               treeDepth: Int = 3) -> ExplanationSection {
        let title = "\(name): \(model.description.split(separator: "\n").first ?? "")"
        switch model {
        case let perceptron as Perceptron:
            if let weights = perceptron.weights {
                return WeightExplanations.perClassPixelWeights(weights, modelName: name, title: title,
                                                               classNames: classNames)
            }
        case let linear as LinearRegression:
            if let coefficients = linear.coefficients, coefficients.rows == 784 {
                return WeightExplanations.perClassPixelWeights(coefficients.transposed(), modelName: name,
                                                               title: title, classNames: classNames)
            }
        case let logistic as LogisticRegression:
            if let weights = linearLayers(logistic.network).first?.weight.value {
                return WeightExplanations.perClassPixelWeights(weights, modelName: name, title: title,
                                                               classNames: classNames)
            }
        case let mlp as MLP:
            let linears = linearLayers(mlp.network)
            if linears.count >= 2 {
                return WeightExplanations.featureDetectors(incoming: linears[0].weight.value,
                                                           outgoing: linears[1].weight.value, modelName: name,
                                                           title: title)
            }
        case let tree as DecisionTree:
            if let nodes = tree.nodes {
                return ExplanationSection(
                    title: title,
                    text: "The tree's own if-then rules, top \(treeDepth) levels: each question looks at one pixel "
                        + "(row, column) and compares its ink with a threshold; the counts are the training images "
                        + "that reached each node.",
                    preformatted: nodes.rules(depth: treeDepth, imageShape: imageShape, classNames: classNames))
            }
        default:
            break
        }
        return ExplanationSection(title: title, text: "zoo has no picture of what this \(model.family) model learned.")
    }

    /// The `Linear` layers of a network, input side first.
    private static func linearLayers(_ network: Sequential?) -> [Linear] {
        network?.layers.compactMap { $0 as? Linear } ?? []
    }
}
