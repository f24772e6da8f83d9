import Testing
import ZooCore
import ZooNN
import ZooNetwork
import ZooTensor

@Suite struct SequentialStateTests {
    func network(seed: UInt64) -> Sequential {
        Sequential(Linear(6, 5, seed: seed), ReLU(), BatchNorm(5), Linear(5, 3, seed: seed + 1))
    }

    @Test func namesFollowPyTorch() {
        #expect(network(seed: 0).namedTensors.map(\.name)
                == ["0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var", "3.weight", "3.bias"])
    }

    @Test func stateRoundTripGivesIdenticalOutputs() throws {
        let trained = network(seed: 1)
        let input = Tensor(shape: [4, 6], values: (0..<24).map { Float($0) / 7 - 1.5 })
        _ = trained.forward(input, training: true)  // moves BatchNorm's running statistics off their start
        let hyperparameters = NetworkHyperparameters(configuration: ["note": "x"], inputSize: 6, classCount: 3)
        let state = try trained.modelState(hyperparameters: hyperparameters)
        let restored = network(seed: 99)
        #expect(restored(input) != trained(input))
        try restored.load(state)
        #expect(restored(input) == trained(input))
        #expect(try state.decodeHyperparameters(NetworkHyperparameters<[String: String]>.self).inputSize == 6)
    }

    @Test func mismatchedArchitectureIsRefused() throws {
        let state = try network(seed: 1).modelState(
            hyperparameters: NetworkHyperparameters(configuration: [String: String](), inputSize: 6, classCount: 3))
        #expect(throws: ModelFileError.self) { try Sequential(Linear(6, 4), ReLU(), BatchNorm(4), Linear(4, 3)).load(state) }
        #expect(throws: ModelFileError.self) { try Sequential(Linear(6, 5), ReLU(), Linear(5, 3)).load(state) }
    }
}
