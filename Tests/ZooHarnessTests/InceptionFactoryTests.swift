import Testing
import ZooCore
import ZooHarness

@Test("makeModel builds the Inception network with its own defaults unless options override them")
func inceptionFromFactory() throws {
    var options = TrainingOptions()
    options.quiet = true
    let model = try makeModel(.inception, options)
    #expect(model.family == "inception")
    #expect(model.description.contains("adam lr 0.01"))
    #expect(model.description.contains("6 epochs") && model.description.contains("cosine schedule"))
    options.learningRate = 0.005
    options.epochs = 2
    options.schedule = .constant
    let tuned = try makeModel(.inception, options)
    #expect(tuned.description.contains("adam lr 0.005") && tuned.description.contains("2 epochs")
            && tuned.description.contains("constant schedule"))
    options.optimizer = .sgd
    options.learningRate = nil
    #expect(try makeModel(.inception, options).description.contains("sgd lr 0.1"))
    options.epochs = 0
    #expect(throws: ModelError.self) { try makeModel(.inception, options) }
}
