import Testing
import ZooTensor

@Suite("Tensor values, shapes and copy-on-write")
struct TensorTests {
    @Test func initialisersAndIndexing() {
        let t = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(t.count == 6 && t.rank == 2 && t.rows == 2 && t.columns == 3)
        #expect(t[1, 0] == 4 && t[0, 2] == 3)
        #expect(Tensor(shape: [2, 2], repeating: 3).scalars == [3, 3, 3, 3])
        #expect(Tensor(zeros: [3]).scalars == [0, 0, 0])
        #expect(Tensor(scalar: 5).scalar == 5 && Tensor(scalar: 5).shape == [])
        let built = Tensor(shape: [4]) { out in for i in 0..<4 { out[i] = Float(i * i) } }
        #expect(built.scalars == [0, 1, 4, 9])
        let empty = Tensor(shape: [0, 784], values: [])
        #expect(empty.count == 0 && empty.reshaped([-1, 28]).shape == [0, 28])
    }

    @Test func buffersAreAligned() {
        for count in [1, 3, 17, 1000] {
            let t = Tensor(shape: [count], repeating: 0)
            t.withUnsafeBufferPointer { #expect(Int(bitPattern: $0.baseAddress!) % TensorStorage.alignment == 0) }
        }
    }

    @Test func reshapeKeepsValues() {
        let t = Tensor(shape: [2, 6], values: (0..<12).map(Float.init))
        #expect(t.reshaped([3, 4]).shape == [3, 4])
        #expect(t.reshaped([3, 4]).scalars == t.scalars)
        #expect(t.reshaped([-1, 3]).shape == [4, 3])
        #expect(t.reshaped([2, -1, 2]).shape == [2, 3, 2])
        #expect(t.reshaped([12]).reshaped([2, 6]) == t)
    }

    @Test("copies share storage until one is written")
    func copyOnWrite() {
        let original = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        var copy = original
        copy[0, 0] = 100
        #expect(original.scalars == [1, 2, 3, 4])
        #expect(copy.scalars == [100, 2, 3, 4])
        var reshaped = original.reshaped([4])
        reshaped.withUnsafeMutableBufferPointer { $0[3] = -1 }
        #expect(original[1, 1] == 4)
        var unique = Tensor(shape: [2], values: [1, 2])
        let before = unique.withUnsafeBufferPointer { $0.baseAddress }
        unique[0] = 9
        #expect(unique.withUnsafeBufferPointer { $0.baseAddress } == before, "a unique tensor is written in place")
    }

    @Test func gatherRows() {
        let t = Tensor(shape: [4, 3], values: (0..<12).map(Float.init))
        let gathered = t.gatherRows([3, 0, 3])
        #expect(gathered.shape == [3, 3])
        #expect(gathered.scalars == [9, 10, 11, 0, 1, 2, 9, 10, 11])
        #expect(t.rows(1..<3).scalars == Array(3..<9).map(Float.init))
        #expect(t.gatherRows([Int]()).shape == [0, 3])
        let images = Tensor(shape: [3, 2, 2], values: (0..<12).map(Float.init))
        #expect(images.gatherRows([2]).shape == [1, 2, 2])
        #expect(images.gatherRows([2]).scalars == [8, 9, 10, 11])
    }

    @Test func equalityAndDescription() {
        let t = Tensor(shape: [2], values: [1, 2])
        #expect(t == Tensor(shape: [2], values: [1, 2]))
        #expect(t != Tensor(shape: [1, 2], values: [1, 2]))
        #expect(t.description == "Tensor[2](1.0, 2.0)")
    }
}
