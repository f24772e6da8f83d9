import Foundation
import ZooCore
import ZooData
import ZooTensor
import ZooTree

/// One digit and what a model made of it, as an explanation reads it: the 28x28 pixels (0...1, ink 1) and the
/// model's calibrated probabilities.
public struct DigitEvidence: Sendable {
    public let pixels: [Float]
    public let probabilities: [Double]

    public init(pixels: [Float], probabilities: [Double]) {
        self.pixels = pixels
        self.probabilities = probabilities
    }

    /// The classes by falling probability (the smaller index on ties).
    var ranked: [Int] {
        probabilities.indices.sorted { (probabilities[$0], -$0) > (probabilities[$1], -$1) }
    }
}

/// What each model looked at for one digit, in the family's own terms (each family's entry in `ModelKind`
/// chooses): pixel contributions for the linear families, the path of rules for the tree, occlusion saliency for
/// the networks.
enum DigitExplanations {
    /// Per-pixel contributions `weight × ink` to the scores of the predicted class and the runner-up, from
    /// `weights` `[classes, pixels]`: the sum of a map (plus the class's bias) is the class's score.
    static func contributions(_ weights: Tensor, _ digit: DigitEvidence, _ context: ExplanationContext)
        -> ExplanationSection? {
        let (rows, columns) = context.sides
        guard weights.rank == 2, weights.columns == digit.pixels.count, rows * columns == digit.pixels.count else {
            return nil
        }
        let values = weights.scalars
        let classes = digit.ranked.prefix(2).filter { $0 < weights.rows }
        let images = classes.enumerated().map { rank, label in
            let map = (0..<weights.columns).map { values[label * weights.columns + $0] * digit.pixels[$0] }
            let total = map.reduce(0, +)
            return WeightHeatMap.image(map, rows: rows, columns: columns, scale: 4,
                                       fileName: "\(context.name)-contribution-\(label).png",
                                       caption: (rank == 0 ? "predicted " : "runner-up ") + context.className(label)
                                           + " (\(Format.percent(digit.probabilities[label]))): pixels add "
                                           + Format.fixed(total, 2))
        }
        return ExplanationSection(
            title: context.title,
            text: "Each pixel's contribution to a class's score, weight times ink: red pixels pushed the class up, "
                + "blue ones down, blank paper adds nothing. The predicted class and the runner-up.",
            images: images, preformatted: probabilityTable(digit, context))
    }

    /// The tree's path for the digit: every question it asked, the answer, and the leaf it reached; a picture marks
    /// the pixels asked about (red: more ink than the threshold, blue: not).
    static func treePath(_ nodes: TreeNodes, _ digit: DigitEvidence, _ context: ExplanationContext)
        -> ExplanationSection? {
        let (rows, columns) = context.sides
        guard nodes.featureCount == digit.pixels.count, rows * columns == digit.pixels.count else { return nil }
        var lines: [String] = []
        var marks: [Int: [UInt8]] = [:]
        var node = 0
        while !nodes.isLeaf(node), lines.count < nodes.nodeCount {
            let pixel = Int(nodes.feature[node])
            let ink = digit.pixels[pixel]
            let above = ink > nodes.threshold[node]
            let threshold = min(max(nodes.threshold[node] * 255, -1), 255).rounded(.down)
            lines.append("pixel (row \(pixel / columns), col \(pixel % columns)) has ink \(Int((ink * 255).rounded())) "
                         + "of 255: " + (above ? "more" : "not more") + " than \(Int(threshold))")
            marks[pixel] = above ? [230, 0, 0] : [0, 90, 255]
            node = Int(above ? nodes.right[node] : nodes.left[node])
        }
        let counts = nodes.counts(of: node)
        let total = max(1, counts.reduce(0, +))
        let leaf = counts.indices.filter { counts[$0] > 0 }
            .map { "\(context.className($0)): \(counts[$0])" }.joined(separator: " ")
        let answer = "leaf: \(counts.reduce(0, +)) training images [\(leaf)], "
            + "\(Format.percent(Double(counts.max() ?? 0) / Double(total))) of them the majority"
        let picture = DigitPicture.image(digit.pixels, rows: rows, columns: columns, marks: marks,
                                         fileName: "\(context.name)-path.png",
                                         caption: "the \(marks.count) pixels asked about")
        return ExplanationSection(
            title: context.title,
            text: "The tree's path for this digit, question by question from the root to the leaf that answered "
                + "(\(lines.count) questions). Red pixels had more ink than the question's threshold, blue ones "
                + "not.",
            images: [picture],
            preformatted: (lines.enumerated().map { "\($0 + 1). \($1)" } + [answer]).joined(separator: "\n") + "\n\n"
                + probabilityTable(digit, context))
    }

    /// Occlusion saliency (`OcclusionSaliency`) for the predicted class and the runner-up, or the error's text.
    static func saliency(_ model: any Model, _ digit: DigitEvidence, _ context: ExplanationContext)
        -> ExplanationSection {
        let (rows, columns) = context.sides
        do {
            let images = try digit.ranked.prefix(2).enumerated().map { rank, label in
                try NetworkExplanations.map(model, input: digit.pixels, classIndex: label, rows: rows,
                                            columns: columns, fileName: "\(context.name)-saliency-\(label).png",
                                            caption: (rank == 0 ? "predicted " : "runner-up ")
                                                + "\(context.className(label)) (calibrated "
                                                + "\(Format.percent(digit.probabilities[label]))); uncalibrated, it ")
            }
            return ExplanationSection(
                title: context.title,
                text: "Occlusion saliency for the predicted class and the runner-up: a pixel's colour is how much "
                    + "the model's log-probability of the class drops when that pixel's ink is erased (red: ink "
                    + "the class rests on; blue: ink against it).",
                images: images, preformatted: probabilityTable(digit, context))
        } catch {
            return ExplanationSection(title: context.title, text: "No saliency map: \(error)",
                                      preformatted: probabilityTable(digit, context))
        }
    }

    /// "0: 0.1%  1: 0.0%  ..." on two lines.
    static func probabilityTable(_ digit: DigitEvidence, _ context: ExplanationContext) -> String {
        let items = digit.probabilities.indices.map {
            "\(context.className($0)): \(Format.percent(digit.probabilities[$0]))"
        }
        let half = (items.count + 1) / 2
        return "calibrated probabilities\n" + items[..<half].joined(separator: "   ") + "\n"
            + items[half...].joined(separator: "   ")
    }
}

/// The page `zoo classify --explain` writes: for each input, the 28x28 digit the models saw, the vote, and what
/// each model looked at.
public enum DigitExplanationPage {
    /// The section of one classified digit: `classification` of `digit` (an MNIST-style field, ink 255) by
    /// `models` (in `classification.predictions`' order). `pictureName` prefixes every file name (unique per
    /// input); `classNames` label the classes.
    public static func section(for classification: DigitClassification, digit: GrayImage, models: [VotingModel],
                               pictureName: String, classNames: [String]) -> ExplanationSection {
        let pixels = digit.pixels.map { Float($0) / 255 }
        let input = DigitPicture.image(pixels, rows: digit.height, columns: digit.width, scale: 8,
                                       fileName: "\(pictureName)-input.png",
                                       caption: "the \(digit.width)x\(digit.height) input the models saw (ink drawn dark)")
        var taken: Set<String> = []
        let parts = zip(models, classification.predictions).map { entry, prediction in
            let name = uniqueName(entry.name, taken: &taken)
            return ModelExplanations.digitSection(
                for: entry.model, name: "\(pictureName)-\(name)",
                title: "\(entry.name): \(prediction.digit) (\(Format.percent(prediction.probability))), vote weight "
                    + Format.fixed(prediction.weight, 3),
                classNames: classNames, imageShape: [digit.height, digit.width],
                digit: DigitEvidence(pixels: pixels, probabilities: prediction.probabilities))
        }
        let verdict = classification.vote.map { "The vote: \($0) (\(Format.percent(classification.voteProbabilities[$0])))" }
            ?? "Not a digit (score \(Format.fixed(classification.notADigitScore ?? 0, 2))); the models' best guess "
                + "would be \(classification.guess)"
        return ExplanationSection(
            title: classification.file,
            text: verdict + ", \(classification.agreeing) of \(classification.predictions.count) models agree.",
            images: [input], preformatted: classification.text, subsections: parts)
    }

    /// `name`, or `name-2`, `name-3`, ... when taken; records the result in `taken`.
    public static func uniqueName(_ name: String, taken: inout Set<String>) -> String {
        var unique = name, number = 1
        while taken.contains(unique) {
            number += 1
            unique = "\(name)-\(number)"
        }
        taken.insert(unique)
        return unique
    }
}
