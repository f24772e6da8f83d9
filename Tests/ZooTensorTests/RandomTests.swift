import Testing
import ZooTensor

@Suite("Seeded random numbers")
struct RandomTests {
    @Test("the same seed gives the same numbers", arguments: [0, 1, 42] as [UInt64])
    func reproducible(seed: UInt64) {
        var first = SeededGenerator(seed: seed), second = SeededGenerator(seed: seed)
        #expect((0..<100).map { _ in first.next() } == (0..<100).map { _ in second.next() })
        var g1 = SeededGenerator(seed: seed), g2 = SeededGenerator(seed: seed)
        #expect(Tensor.normal([10, 10], using: &g1) == Tensor.normal([10, 10], using: &g2))
    }

    @Test func differentSeedsDiffer() {
        var a = SeededGenerator(seed: 0), b = SeededGenerator(seed: 1)
        #expect((0..<10).map { _ in a.next() } != (0..<10).map { _ in b.next() })
        let parent = SeededGenerator(seed: 0)
        var d1 = parent.derived(1), d2 = parent.derived(2)
        #expect(d1.next() != d2.next())
    }

    @Test func distributions() {
        var generator = SeededGenerator(seed: 7)
        let uniform = Tensor.uniform([20_000], in: -2...3, using: &generator)
        #expect(uniform.scalars.allSatisfy { $0 >= -2 && $0 <= 3 })
        #expect(abs(uniform.mean() - 0.5) < 0.05)
        let normal = Tensor.normal([20_000], mean: 1, standardDeviation: 2, using: &generator)
        let mean = normal.mean()
        let variance = normal.map { ($0 - mean) * ($0 - mean) }.mean()
        #expect(abs(mean - 1) < 0.05)
        #expect(abs(variance.squareRoot() - 2) < 0.05)
    }
}
