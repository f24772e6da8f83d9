import Dispatch
import Testing
import ZooTensor

@Suite("parallelFor")
struct ParallelTests {
    /// Runs `jobs` parallel loops of `chunks` chunks that count their visits, and returns each chunk's count.
    private func visitCounts(jobs: Int, chunks: Int, inner: Int = 0) -> [Int] {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks * max(inner, 1))
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        nonisolated(unsafe) let pointer = counts
        for _ in 0..<jobs {
            parallelFor(chunks) { chunk in
                if inner == 0 {
                    pointer[chunk] += 1
                } else {
                    parallelFor(inner) { pointer[chunk * inner + $0] += 1 }
                }
            }
        }
        return Array(counts)
    }

    @Test("Every chunk runs exactly once per loop, over a hundred short loops in a row", arguments: [2, 3, 16, 101])
    func everyChunkOnce(chunks: Int) {
        #expect(visitCounts(jobs: 100, chunks: chunks) == [Int](repeating: 100, count: chunks))
    }

    @Test("A loop inside a loop's chunk runs (on that chunk's thread) and completes")
    func nested() {
        #expect(visitCounts(jobs: 200, chunks: 4, inner: 5) == [Int](repeating: 200, count: 20))
    }

    @Test("Loops started from several threads at once all complete correctly")
    func concurrentCallers() {
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 4)
        defer { results.deallocate() }
        nonisolated(unsafe) let pointer = results
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            pointer[caller] = visitCounts(jobs: 100, chunks: 3 + caller) == [Int](repeating: 100, count: 3 + caller)
        }
        #expect(Array(results) == [true, true, true, true])
    }

    @Test("parallelChunks covers 0..<count once, in contiguous ranges, for counts that do not split evenly",
          arguments: [1, 2, 3, 5, 7, 64, 1_001])
    func chunksCoverEveryIndexOnce(count: Int) {
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        nonisolated(unsafe) let pointer = visits
        for _ in 0..<50 {
            parallelChunks(count, minimumChunk: 1) { range in
                for index in range { pointer[index] += 1 }
            }
        }
        #expect(Array(visits) == [Int](repeating: 50, count: count))
    }

    @Test("parallelChunks inside a parallelFor chunk runs every range (on that chunk's thread)")
    func chunksNested() {
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * 9)
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        nonisolated(unsafe) let pointer = visits
        parallelFor(4) { chunk in
            parallelChunks(9, minimumChunk: 1) { range in
                for index in range { pointer[chunk * 9 + index] += 1 }
            }
        }
        #expect(Array(visits) == [Int](repeating: 1, count: 4 * 9))
    }

    @Test("ZOO_THREADS must be a whole number of at least 1; unset or empty leaves the cores as they are")
    func threadLimit() throws {
        for value in ["0", "-3", "two", "1.5", " 2"] {
            #expect(throws: ThreadLimitError(value: value)) { try checkThreadLimit(environment: ["ZOO_THREADS": value]) }
        }
        for environment in [[:], ["ZOO_THREADS": ""], ["ZOO_THREADS": "1"], ["ZOO_THREADS": "64"]] {
            #expect(throws: Never.self) { try checkThreadLimit(environment: environment) }
        }
        #expect(processorCount >= 1)
    }
}
