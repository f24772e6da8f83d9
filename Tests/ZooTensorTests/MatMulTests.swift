import Testing
import ZooTensor

@Suite("Tensor.matmul and gemm against a naive triple loop")
struct MatMulTests {
    static let shapes: [(m: Int, k: Int, n: Int)] = [(1, 1, 1), (3, 5, 4), (7, 1, 9), (17, 33, 10), (64, 784, 3)]

    @Test("all four transpose combinations", arguments: [false, true], [false, true])
    func transposes(transposeA: Bool, transposeB: Bool) {
        for (index, shape) in Self.shapes.enumerated() {
            let a = Reference.random(shape.m, shape.k, seed: UInt64(2 * index))
            let b = Reference.random(shape.k, shape.n, seed: UInt64(2 * index + 1))
            let expected = Reference.matmul(a.scalars, shape.m, shape.k, b.scalars, shape.n)
            let storedA = transposeA ? a.transposed() : a
            let storedB = transposeB ? b.transposed() : b
            let product = Tensor.matmul(storedA, transposed: transposeA, storedB, transposed: transposeB)
            #expect(product.shape == [shape.m, shape.n])
            #expect(approximatelyEqual(product.scalars, expected), "shape \(shape)")
        }
    }

    @Test func gemmAccumulatesWithAlpha() {
        let a = Reference.random(4, 6, seed: 1), b = Reference.random(6, 5, seed: 2)
        var c = Reference.random(4, 5, seed: 3)
        let original = c.scalars
        Tensor.gemm(a, b, into: &c, accumulate: true, alpha: 0.5)
        let product = Reference.matmul(a.scalars, 4, 6, b.scalars, 5)
        #expect(approximatelyEqual(c.scalars, zip(original, product).map { $0 + 0.5 * $1 }))
        Tensor.gemm(a, b, into: &c, accumulate: false)
        #expect(approximatelyEqual(c.scalars, product))
    }

    @Test func gemmDoesNotWriteIntoSharedStorage() {
        let a = Reference.random(3, 3, seed: 1), b = Reference.random(3, 3, seed: 2)
        var c = Tensor(shape: [3, 3], repeating: 7)
        let copy = c
        Tensor.gemm(a, b, into: &c, accumulate: false)
        #expect(copy.scalars == [Float](repeating: 7, count: 9))
    }

    @Test("gemm on raw pointers overwrites (not adds to) NaN garbage in c, and only c's n columns of each ldc row",
          arguments: [5, 8])
    func pointerGemmOverwrites(ldc: Int) {
        let a = Reference.random(4, 6, seed: 1), b = Reference.random(6, 5, seed: 2)
        var c = [Float](repeating: .nan, count: 4 * ldc)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                gemm(m: 4, n: 5, k: 6, a.baseAddress!, lda: 6, b.baseAddress!, ldb: 5, &c, ldc: ldc, accumulate: false)
            }
        }
        let product = Reference.matmul(a.scalars, 4, 6, b.scalars, 5)
        #expect(approximatelyEqual((0..<4).flatMap { c[$0 * ldc..<$0 * ldc + 5] }, product))
        #expect((0..<4).allSatisfy { row in c[row * ldc + 5..<row * ldc + ldc].allSatisfy(\.isNaN) })
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let a = Tensor(shape: [2, 0], repeating: 0), b = Tensor(shape: [0, 3], repeating: 0)
        #expect(Tensor.matmul(a, b) == Tensor(shape: [2, 3], repeating: 0))
    }

    @Test func coreNameIsKnown() {
        #expect(!openBLASCoreName().isEmpty)
        #expect(openBLASThreadCount() >= 1)
    }
}
