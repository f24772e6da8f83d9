import Foundation
import Testing
import ZooCore
import ZooData
import ZooInception
import ZooNN
import ZooNetwork
import ZooTensor

@Test("A whole small Inception block passes the finite-difference gradient check")
func inceptionBlockGradients() {
    var generator = SeededGenerator(seed: 1)
    let block = InceptionBlock(3, b1x1: 2, b3x3Reduce: 2, b3x3: 3, b5x5Reduce: 2, b5x5: 2, poolProjection: 2,
                               using: &generator)
    #expect(block.outputChannels == 9)
    // Distinct values 0.1 apart, more than twice the largest nudge (2 × 0.03), so the max-pool branch keeps its
    // winners under each nudge.
    let count = 2 * 5 * 5 * 3
    let input = Tensor(shape: [2, 5, 5, 3],
                       values: (0..<count).map { Float($0 - count / 2) * 0.1 }.shuffled(using: &generator))
    #expect(block.forward(input, training: true).shape == [2, 5, 5, 9])
    // Shift every batch norm's output to mean 5 (its convolutions have no bias, so each "bias" is a batch norm's
    // β): the ReLUs then stay in their linear part, where a finite difference sees no kink. Every other path
    // (convolutions, batch statistics, pooling, concatenation, the summed input gradient) is still checked.
    for parameter in block.parameters where parameter.name == "bias" {
        parameter.value = Tensor(shape: parameter.value.shape, repeating: 5)
    }
    // The outputs sit near 5, so Float32 rounding of the objective puts ~1e-3 of noise on every numeric
    // derivative, whichever OpenBLAS kernel runs; the input gradients average ~0.9 in size. A floor of 0.1 in
    // the relative error keeps that noise from failing the check on the smallest values (measured worst: 0.0065
    // over 12 seeds, with the Haswell and the native core), while a gradient 10% off on any path fails it.
    let result = GradientCheck.check(block, input: input, step: 3e-2, samples: 100, floor: 0.1)
    #expect(result.maximumError < 2e-2, "\(result)")
    #expect(result.parameterErrors.count == 18)
}

@Test("InceptionNet: tens of thousands of parameters, shapes [N, 784] -> [N, 10], prints its structure")
func inceptionNetStructure() throws {
    let mnist = InputShape(height: 28, width: 28, channels: 1)
    let network = InceptionNet.Configuration().makeNetwork(input: mnist, classCount: 10)
    #expect((10_000..<100_000).contains(network.parameterCount))
    var generator = SeededGenerator(seed: 2)
    #expect(network.forward(Tensor.uniform([3, 784], in: 0...1, using: &generator), training: true).shape == [3, 10])
    #expect("\(network)".contains("Inception(32 -> 64"))
    #expect("\(network)".contains("\(Format.count(network.parameterCount)) parameters"))
    for (shape, classes) in [(mnist, 10), (InputShape(height: 5, width: 9, channels: 3), 4)] {
        let built = InceptionNet.Configuration().makeNetwork(input: shape, classCount: classes)
        #expect(InceptionNet.Configuration().storedValueCount(input: shape, classCount: classes)
                == (built.parameters + built.buffers).reduce(0) { $0 + $1.value.count })
    }
}

@Test("A wider InceptionNet doubles every convolution's channels, counts its values, and saves and loads its width")
func inceptionNetWidth() throws {
    let mnist = InputShape(height: 28, width: 28, channels: 1)
    let one = InceptionNet.Configuration().makeNetwork(input: mnist, classCount: 10)
    let two = InceptionNet.Configuration(width: 2).makeNetwork(input: mnist, classCount: 10)
    #expect("\(two)".contains("Inception(64 -> 128: 1x1 32 | 1x1 32 -> 3x3 48 | 1x1 16 -> 5x5 24 | maxpool 3x3 -> 1x1 24)"))
    #expect("\(two)".contains("Inception(128 -> 256") && "\(two)".contains("Linear(256 → 10)"))
    // The blocks' weights grow with width², the stem and the classifier with width.
    #expect((3 * one.parameterCount..<4 * one.parameterCount).contains(two.parameterCount))
    for width in [2, 3] {
        for (shape, classes) in [(mnist, 10), (InputShape(height: 5, width: 9, channels: 3), 4)] {
            let configuration = InceptionNet.Configuration(width: width)
            let built = configuration.makeNetwork(input: shape, classCount: classes)
            #expect(configuration.storedValueCount(input: shape, classCount: classes)
                    == (built.parameters + built.buffers).reduce(0) { $0 + $1.value.count })
        }
    }
    for width in [0, 9] {
        #expect(throws: ModelError.self) { try InceptionNet.Configuration(width: width).validate() }
        #expect(InceptionNet.Configuration(width: width).storedValueCount(input: mnist, classCount: 10) == nil)
    }
    // Width 1 is not written (files of the default network are as before), and a file without it reads as 1.
    let encoded = try JSONEncoder().encode(InceptionNet.Configuration())
    #expect(!String(decoding: encoded, as: UTF8.self).contains("width"))
    #expect(try JSONDecoder().decode(InceptionNet.Configuration.self, from: encoded).width == 1)
    let wide = InceptionNet(InceptionNet.Configuration(width: 2).overriding(.init(batchSize: 4, epochs: 1)))
    var generator = SeededGenerator(seed: 7)
    let images = Tensor.uniform([6, 8, 8, 1], in: 0...1, using: &generator)
    try wide.fit(images, [0, 1, 2, 0, 1, 2], quiet: true)
    #expect(wide.description.contains("small, width 2"))
    let reloaded = try InceptionNet(modelState: try wide.modelState())
    #expect(reloaded.configuration.width == 2)
    #expect(try reloaded.forward(images) == wide.forward(images))
}

@Test("InceptionNet takes its input shape and class count from the data: 8x12 RGB images, 3 classes")
func inceptionNetShapeFromData() throws {
    let model = InceptionNet(InceptionNet.Configuration().overriding(.init(batchSize: 4, epochs: 1)))
    var generator = SeededGenerator(seed: 5)
    let images = Tensor.uniform([6, 8, 12, 3], in: 0...1, using: &generator)
    try model.fit(images, [0, 1, 2, 0, 1, 2], quiet: true)
    #expect(model.inputShape == InputShape(height: 8, width: 12, channels: 3) && model.classCount == 3)
    #expect(try model.forward(images).shape == [6, 3])
    #expect(try model.forward(images.reshaped([6, 8 * 12 * 3])).shape == [6, 3])
    #expect(throws: ModelError.self) { try model.forward(Tensor(zeros: [2, 784])) }
}

@Test("InceptionNet rejects inputs that are not images it can pool: non-square rows, images under 4x4")
func inceptionNetRejectsWrongWidth() {
    let model = InceptionNet()
    #expect(throws: ModelError.self) { try model.fit(Tensor(zeros: [4, 99]), [0, 1, 2, 3], quiet: true) }
    #expect(throws: ModelError.self) { try model.fit(Tensor(zeros: [4, 9]), [0, 1, 2, 3], quiet: true) }
    #expect(throws: ModelError.notFitted(family: "inception")) { try model.forward(Tensor(zeros: [1, 784])) }
}

@Test("InceptionNet anneals its learning rate over training by default (cosine to zero)")
func inceptionNetFollowsItsSchedule() throws {
    let training = try loadMNIST(training: true).prefix(128)
    var configuration = InceptionNet.Configuration()
    configuration.training.epochs = 2
    let base = configuration.training.optimizer.effectiveLearningRate
    let model = InceptionNet(configuration)
    try model.fit(training.inputs, training.labels, quiet: true)
    let rates = model.history!.epochs.map(\.learningRate)
    // Batches 2 and 4 of 4 end the epochs: cosine gives 0.85 and 0.15 of the base rate there.
    #expect(abs(rates[0] - 0.854 * base) < 0.01 * base && abs(rates[1] - 0.146 * base) < 0.01 * base, "\(rates)")
}

@Test("InceptionNet: first 10k training images, 2 epochs, full test set: accuracy ≥ 96%")
func inceptionNetAccuracyFloor() throws {
    let training = try loadMNIST(training: true).prefix(10_000), test = try loadMNIST(training: false)
    var configuration = InceptionNet.Configuration()
    configuration.training.epochs = 2
    let model = InceptionNet(configuration)
    try model.fit(training.inputs, training.labels, quiet: true)
    let accuracy = try ZooCore.accuracy(predicted: model.predict(test.inputs), labels: test.labels)
    print("InceptionNet 10k/2 epochs: test accuracy \(accuracy), "
          + "\(Int(model.history!.epochs.last!.samplesPerSecond)) img/s in the last epoch")
    #expect(accuracy >= 0.96)
}

@Test("Inception files name tensors by path (stem.conv.weight, block1.branch3x3.1.conv.weight); the first format loads")
func inceptionTensorNames() throws {
    // The shipped model, and the same weights under the first format's positional names ("1.0.weight",
    // "3.12.weight"), as zoo wrote Inception files before path names (and as Zoo/inception.safetensors was until
    // its retraining with augmentation).
    let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Zoo/inception.safetensors")
    let model = try InceptionNet(modelState: try ModelFile.read(shipped.path).state)
    let state = try model.modelState()
    let network = try #require(model.network)
    var old = state
    old.tensors = Dictionary(uniqueKeysWithValues: network.positionalNamedTensors.map { ($0.name, .floats($0.tensor.value)) })
    #expect(old.tensors["1.0.weight"] != nil && old.tensors["stem.conv.weight"] == nil)
    let names = Set(state.tensors.keys)
    #expect(names.isSuperset(of: ["stem.conv.weight", "stem.bn.weight", "stem.bn.running_var",
                                  "block1.branch1x1.conv.weight", "block1.branch3x3.1.conv.weight",
                                  "block2.branch5x5.0.bn.running_mean", "block2.branchPool.1.conv.weight",
                                  "classifier.weight", "classifier.bias"]))
    #expect(names.count == old.tensors.count && !names.contains("1.0.weight"))
    #expect(state.tensors["stem.conv.weight"] == old.tensors["1.0.weight"])
    #expect(state.tensors["block1.branch5x5.1.conv.weight"] == old.tensors["3.12.weight"])
    #expect(state.tensors["block2.branchPool.1.bn.running_var"] == old.tensors["5.29.running_var"])
    let digits = Tensor(shape: [3, 784]) { out in for i in 0..<out.count { out[i] = Float((i * 7919) % 256) / 255 } }
    for reloaded in [try InceptionNet(modelState: state), try InceptionNet(modelState: old)] {
        #expect(try reloaded.forward(digits) == model.forward(digits))
    }
    var damaged = old
    damaged.tensors["3.12.weight"] = nil
    #expect(throws: ModelFileError.self) { try InceptionNet(modelState: damaged) }
}
