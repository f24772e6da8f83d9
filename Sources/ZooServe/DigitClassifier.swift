import Foundation
import ZooCore
import ZooData
import ZooHarness

/// The models `zoo serve` answers with, loaded once at start, and what the server says about each.
///
/// Safe to share between concurrent requests without a lock: after `init` nothing here changes, and every
/// family's `forward` only reads its fitted state (the networks' layers cache activations only in
/// `forward(_, training: true)`, the tree reads its compiled nodes, the perceptron and least squares their
/// weights). That is why the class is `@unchecked Sendable`: `any Model` is a class existential the compiler
/// cannot prove read-only.
public final class DigitClassifier: @unchecked Sendable {
    /// One loaded model and its card.
    public struct Entry {
        /// Short name: the model file's name without extension ("mlp").
        public let name: String
        /// The model file's family and provenance.
        public let file: ModelFile
        /// The fitted model.
        public let model: any Model
        /// The model card's Markdown (the `<name>.md` beside the model file), when there is one.
        public let card: String?
    }

    /// The models, in the zoo's family order.
    public let entries: [Entry]
    /// The vote's weights and not-a-digit limits (`vote.json` beside the models); nil: equal weights, no score.
    public let policy: VotePolicy?

    /// Models and their cards; `entries` must not be empty (`source` names where they came from in the error).
    public init(entries: [Entry], policy: VotePolicy? = nil, source: String = "the model list") throws {
        guard !entries.isEmpty else { throw ServeError.noModels(folder: source) }
        self.entries = entries
        self.policy = policy
    }

    /// Every model file in `directory` with its card, read once. Throws `ServeError.noModels` when there is
    /// none, `ModelFileError` for a damaged file.
    public convenience init(modelsIn directory: String) throws {
        let policyPath = URL(fileURLWithPath: directory).appendingPathComponent(VotePolicy.fileName).path
        let policy = FileManager.default.fileExists(atPath: policyPath) ? try VotePolicy.read(policyPath) : nil
        try self.init(models: try SavedModels.loadAll(in: directory), policy: policy, source: directory)
    }

    /// `models` with the cards found beside their files.
    public convenience init(models: [SavedModel], policy: VotePolicy? = nil, source: String = "the model list") throws {
        let entries = models.map { saved in
            let cardPath = URL(fileURLWithPath: saved.path).deletingPathExtension().appendingPathExtension("md").path
            let card = FileManager.default.contents(atPath: cardPath).flatMap { String(data: $0, encoding: .utf8) }
            return Entry(name: saved.name, file: saved.file, model: saved.model, card: card)
        }
        try self.init(entries: entries, policy: policy, source: source)
    }

    /// The card of the model called `name`, if it is loaded and has one.
    public func card(named name: String) -> String? {
        entries.first { $0.name == name }?.card
    }

    /// What every model reads in a drawing: `image` (any size, dark on light or light on dark) is prepared as
    /// `zoo classify` prepares a PNG, then classified. `source` names the image in the result and in errors.
    /// Returns the classification and the 28x28 image the models saw. Throws `DigitError` when it holds no ink.
    public func classify(_ image: GrayImage, source: String) throws -> (result: DigitClassification, input: GrayImage) {
        let digit = try DigitPreprocessing.mnistDigit(image, source: source)
        let models = entries.map { (name: $0.name, model: $0.model, calibration: $0.file.calibration) }
        return (try DigitClassification(file: source, digit: digit, models: models, policy: policy), digit)
    }
}
