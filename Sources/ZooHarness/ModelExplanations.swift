import ZooCore
import ZooTensor

/// What `zoo explain` and `zoo classify --explain` show for each family, in the family's own terms (each
/// family's entry in `ModelKind` says how).
public enum ModelExplanations {
    /// The explanation of `model` (named `name` in file names and headings): per-class pixel weights for the
    /// perceptron, linear (one-hot targets) and logistic regression, the first layer's strongest feature
    /// detectors for the MLP, the top `treeDepth` levels of rules for a tree, the first layer's filters and
    /// saliency maps on test images for Inception. `classNames` label the classes, `imageShape` the pixels;
    /// `evidence` adds the training set's pixel ink (pixels it rarely inked are grey) and test images.
    public static func section(for model: any Model, name: String, classNames: [String], imageShape: [Int] = [28, 28],
                               treeDepth: Int = 3, evidence: ExplanationEvidence = ExplanationEvidence())
        -> ExplanationSection {
        let title = "\(name): \(model.description.split(separator: "\n").first ?? "")"
        let context = ExplanationContext(name: name, title: title, classNames: classNames, imageShape: imageShape,
                                         treeDepth: treeDepth, evidence: evidence)
        if let section = ModelKind(of: model)?.explanation(of: model, context) { return section }
        return ExplanationSection(title: title, text: "zoo has no picture of what this \(model.family) model learned.")
    }

    /// What `model` looked at for one `digit`: weight × ink for the linear families (predicted class and
    /// runner-up), the path of rules for a tree, occlusion saliency for the networks (and for models from outside
    /// the zoo). `name` prefixes the file names, `title` heads the section.
    public static func digitSection(for model: any Model, name: String, title: String, classNames: [String],
                                    imageShape: [Int] = [28, 28], digit: DigitEvidence) -> ExplanationSection {
        let context = ExplanationContext(name: name, title: title, classNames: classNames, imageShape: imageShape,
                                         treeDepth: 0, digit: digit)
        if let section = ModelKind(of: model)?.explanation(of: model, context) { return section }
        return DigitExplanations.saliency(model, digit, context)
    }
}
