import Testing
import ZooTensor

@Suite("Reductions along both axes")
struct ReductionTests {
    let t = Reference.random(5, 7, seed: 20)

    func column(_ j: Int) -> [Float] { (0..<5).map { t[$0, j] } }
    func row(_ i: Int) -> [Float] { (0..<7).map { t[i, $0] } }

    @Test func wholeTensor() {
        let values = t.scalars
        #expect(abs(t.sum() - values.reduce(0, +)) < 1e-5)
        #expect(abs(t.mean() - values.reduce(0, +) / 35) < 1e-6)
        #expect(t.max() == values.max())
    }

    @Test func alongAxis0() {
        #expect(t.sum(axis: 0).shape == [7])
        #expect(approximatelyEqual(t.sum(axis: 0).scalars, (0..<7).map { column($0).reduce(0, +) }))
        #expect(approximatelyEqual(t.mean(axis: 0).scalars, (0..<7).map { column($0).reduce(0, +) / 5 }))
        #expect(t.max(axis: 0).scalars == (0..<7).map { column($0).max()! })
        #expect(t.argmax(axis: 0) == (0..<7).map { column($0).firstIndex(of: column($0).max()!)! })
    }

    @Test func alongAxis1() {
        #expect(t.sum(axis: 1).shape == [5])
        #expect(approximatelyEqual(t.sum(axis: 1).scalars, (0..<5).map { row($0).reduce(0, +) }))
        #expect(approximatelyEqual(t.mean(axis: 1).scalars, (0..<5).map { row($0).reduce(0, +) / 7 }))
        #expect(t.max(axis: 1).scalars == (0..<5).map { row($0).max()! })
        #expect(t.argmax(axis: 1) == (0..<5).map { row($0).firstIndex(of: row($0).max()!)! })
    }

    @Test("argmax ties go to the lowest index")
    func argmaxTies() {
        let tied = Tensor(shape: [3, 4], values: [1, 3, 3, 0,
                                                  2, 2, 2, 2,
                                                  -5, -1, -7, -1])
        #expect(tied.argmax(axis: 1) == [1, 0, 1])
        #expect(tied.argmax(axis: 0) == [1, 0, 0, 1])
        let negativeInfinity = Tensor(shape: [1, 3], repeating: -.infinity)
        #expect(negativeInfinity.argmax(axis: 1) == [0])
    }
}
