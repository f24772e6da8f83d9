import Testing
import ZooTensor

@Suite("Elementwise and broadcast ops")
struct ElementwiseTests {
    let a = Reference.random(3, 4, seed: 10)
    let b = Reference.random(3, 4, seed: 11).map { $0 + 2 }

    @Test func sameShapeArithmetic() {
        let (x, y) = (a.scalars, b.scalars)
        #expect((a + b).scalars == zip(x, y).map(+))
        #expect((a - b).scalars == zip(x, y).map(-))
        #expect((a * b).scalars == zip(x, y).map(*))
        #expect((a / b).scalars == zip(x, y).map(/))
        #expect((a * 3).scalars == x.map { $0 * 3 })
        #expect((a + 3).scalars == x.map { $0 + 3 })
        #expect((a + b).shape == [3, 4])
    }

    @Test func mapApplyAndFill() {
        var c = a
        c.apply { $0 * $0 }
        #expect(c.scalars == a.scalars.map { $0 * $0 })
        #expect(a.map { -$0 }.scalars == a.scalars.map { -$0 })
        c.fill(2)
        #expect(c.scalars == [Float](repeating: 2, count: 12))
    }

    @Test func addScaled() {
        var c = a
        c.add(b, scaledBy: -0.5)
        #expect(c.scalars == zip(a.scalars, b.scalars).map { $0 + -0.5 * $1 })
    }

    @Test func biasAddAndRowScaling() {
        let bias = Tensor(shape: [4], values: [1, 2, 3, 4])
        let expected = a.scalars.enumerated().map { $0.element + bias.scalars[$0.offset % 4] }
        #expect(a.addingToEachRow(bias).scalars == expected)
        var inPlace = a
        inPlace.addToEachRow(bias)
        #expect(inPlace.scalars == expected)
        let scaled = a.multiplyingEachRow(by: bias)
        #expect(scaled.scalars == a.scalars.enumerated().map { $0.element * bias.scalars[$0.offset % 4] })
    }

    @Test func transpose() {
        let t = a.transposed()
        #expect(t.shape == [4, 3])
        #expect(t.scalars == Reference.transpose(a.scalars, rows: 3, columns: 4))
        #expect(t.transposed() == a)
    }

    @Test func finiteness() {
        #expect(a.isFinite)
        var c = a
        c[1, 2] = .nan
        #expect(!c.isFinite)
        c[1, 2] = .infinity
        #expect(!c.isFinite)
    }
}
