import Foundation
import Testing
import ZooCore
import ZooTensor

/// `stepChunks` (and `parallelChunks`, which is it for `Sendable` bodies), the split of a training step's products and updates across CKernels' helper threads: every
/// index is covered exactly once whatever the count and split, and callers that meet (two threads at once, or a
/// range that splits again) still get all their work done, on their own thread.
@Suite("Step chunks")
struct StepChunksTests {
    /// How many times each of `count` indices was visited by one `stepChunks` call.
    static func visits(_ count: Int, minimumChunk: Int) -> [Int] {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        nonisolated(unsafe) let base = counts.baseAddress!
        stepChunks(count, minimumChunk: minimumChunk) { range in
            for index in range { base[index] += 1 }
        }
        return Array(counts.prefix(count))
    }

    @Test("every index once", arguments: [(0, 1), (1, 1), (7, 1), (64, 10), (1000, 3), (200_960, 1 << 16)])
    func coversEveryIndexOnce(_ count: Int, _ minimumChunk: Int) {
        for _ in 0..<50 {
            #expect(Self.visits(count, minimumChunk: minimumChunk) == [Int](repeating: 1, count: count))
        }
    }

    @Test("two threads calling at once both finish every index")
    func concurrentCallers() {
        let correct = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2)
        correct.initialize(repeating: 0)
        defer { correct.deallocate() }
        nonisolated(unsafe) let tally = correct.baseAddress!
        let expected = [Int](repeating: 1, count: 4096)
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for _ in 0..<200 where Self.visits(4096, minimumChunk: 16) == expected { tally[caller] += 1 }
        }
        #expect(Array(correct) == [200, 200])
    }

    @Test("a range that splits again runs its inner work too")
    func nestedCall() {
        let rows = 64, columns = 512
        let grid = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows * columns)
        grid.initialize(repeating: 0)
        defer { grid.deallocate() }
        nonisolated(unsafe) let base = grid.baseAddress!
        stepChunks(rows, minimumChunk: 1) { rowRange in
            for row in rowRange {
                stepChunks(columns, minimumChunk: 1) { columnRange in
                    for column in columnRange { base[row * columns + column] += 1 }
                }
            }
        }
        #expect(Array(grid) == [Int](repeating: 1, count: rows * columns))
    }
}
