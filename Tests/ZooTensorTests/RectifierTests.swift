import Testing
import ZooTensor

@Test("rectified: max(0, x), NaN kept, the same on the parallel path of a big tensor")
func rectifiedValues() {
    let small = Tensor(shape: [4], values: [-1, 0, 2, .nan]).rectified().scalars
    #expect(small[0] == 0 && small[1] == 0 && small[2] == 2 && small[3].isNaN)
    var generator = SeededGenerator(seed: 0)
    let big = Tensor.normal([1_000_000], using: &generator)
    #expect(big.rectified() == big.map { max(0, $0) })
}

@Test("rectifierGradient passes the gradient only where the output is positive")
func rectifierGradientValues() {
    let output = Tensor(shape: [2, 2], values: [0, 3, 0, 1])
    let gradient = Tensor(shape: [2, 2], values: [5, 6, 7, 8])
    #expect(Tensor.rectifierGradient(gradient, output: output) == Tensor(shape: [2, 2], values: [0, 6, 0, 8]))
}
