import Foundation
import ZooData
import ZooMLP

// Use a shipped model: the family's type loads its own file, no harness needed.
let model = try MLP(contentsOf: URL(fileURLWithPath: "Zoo/mlp.safetensors"))
let mnist = try DatasetRegistry.load("mnist", dataDirectory: nil)
let test = try mnist.test.prefix(1_000)
let predicted = try model.predict(test.inputs)                                // [N, 784] -> N digits
let correct = zip(predicted, test.labels).filter { $0 == $1 }.count
print("\(model.family): \(correct) of \(test.count) test digits right")

// Train one: the family's defaults with overrides, then fit, forward, loss, save.
let small = MLP(MLP.Configuration(hiddenSizes: [64]).overriding(.init(epochs: 2)))
let train = try mnist.train.prefix(2_000)
try small.fit(train.inputs, train.labels)                    // fit teaches; the class count comes from the data
let probabilities = try small.forward(test.inputs)           // forward runs in production: [N, 10]
print("a 784-64-10 MLP fitted on 2,000 images: loss \(small.loss(probabilities, test.labels))")  // lower is better
try small.save(to: FileManager.default.temporaryDirectory.appendingPathComponent("small-mlp.safetensors"))
