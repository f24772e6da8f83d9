import ZooCore
import ZooTensor

/// What `zoo explain` shows for each family, in the family's own terms (each family's entry in `ModelKind` says
/// how).
public enum ModelExplanations {
    /// The explanation of `model` (named `name` in file names and headings): per-class pixel weights for the
    /// perceptron, linear (one-hot targets) and logistic regression, the first layer's strongest feature
    /// detectors for the MLP, the top `treeDepth` levels of rules for a tree. `classNames` label the classes,
    /// `imageShape` the pixels.
    public static func section(for model: any Model, name: String, classNames: [String], imageShape: [Int] = [28, 28],
                               treeDepth: Int = 3) -> ExplanationSection {
        let title = "\(name): \(model.description.split(separator: "\n").first ?? "")"
        let context = ExplanationContext(name: name, title: title, classNames: classNames, imageShape: imageShape,
                                         treeDepth: treeDepth)
        if let section = ModelKind(of: model)?.explanation(of: model, context) { return section }
        return ExplanationSection(title: title, text: "zoo has no picture of what this \(model.family) model learned.")
    }
}
