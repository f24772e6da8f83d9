import Testing
import ZooData

@Suite("Dataset subsets, stratified samples and the DataLoader")
struct DatasetTests {
    /// 100 samples of 2x3 pixels, labels `0,1,2,0,...` over 3 classes but with class 2 rarer.
    let dataset: Dataset = {
        let labels = (0..<100).map { $0 % 5 == 4 ? 2 : $0 % 2 }
        return Dataset(name: "toy", pixels: (0..<600).map { UInt8($0 % 256) }, labels: labels,
                       imageShape: [2, 3], classNames: ["a", "b", "c"])
    }()

    @Test func prefixAndSubset() throws {
        let first = try dataset.prefix(10)
        #expect(first.count == 10 && first.labels == Array(dataset.labels.prefix(10)))
        #expect(first.pixels == Array(dataset.pixels.prefix(60)))
        let picked = dataset.subset([7, 2])
        #expect(picked.labels == [dataset.labels[7], dataset.labels[2]])
        #expect(picked.inputs.scalars == dataset.inputs.gatherRows([7, 2]).scalars)
        #expect(throws: DatasetError.badSubset(requested: 101, available: 100)) { try dataset.prefix(101) }
        #expect(throws: DatasetError.badSubset(requested: 0, available: 100)) { try dataset.prefix(0) }
    }

    @Test("a stratified sample keeps each class's share", arguments: [10, 33, 50, 100])
    func stratifiedProportions(size: Int) throws {
        let indices = try dataset.stratifiedSampleIndices(size, seed: 3)
        #expect(indices.count == size && Set(indices).count == size && indices == indices.sorted())
        let whole = dataset.classCounts
        var counts = [0, 0, 0]
        for index in indices { counts[dataset.labels[index]] += 1 }
        for c in 0..<3 {
            #expect(abs(Double(counts[c]) - Double(whole[c]) * Double(size) / 100) < 1, "class \(c): \(counts)")
        }
    }

    @Test func stratifiedSampleIsSeeded() throws {
        let a = try dataset.stratifiedSampleIndices(30, seed: 1)
        #expect(try dataset.stratifiedSampleIndices(30, seed: 1) == a)
        #expect(try dataset.stratifiedSampleIndices(30, seed: 2) != a)
        #expect(try dataset.stratifiedSample(30, seed: 1).labels == a.map { dataset.labels[$0] })
    }

    @Test func stratifiedMNIST() throws {
        let train = try mnist().train
        let sample = try train.stratifiedSample(1000, seed: 0)
        for (c, count) in sample.classCounts.enumerated() {
            #expect(abs(Double(count) - Double(mnistTrainClassCounts[c]) / 60) < 1, "class \(c)")
        }
    }

    @Test("every sample exactly once per epoch", arguments: [1, 7, 32, 100, 200])
    func everySampleOnce(batchSize: Int) {
        let loader = DataLoader(dataset, batchSize: batchSize, seed: 5)
        var seen: [Int] = []
        var batches = 0
        for batch in loader {
            #expect(batch.inputs.shape == [batch.indices.count, 6])
            #expect(batch.labels == batch.indices.map { dataset.labels[$0] })
            #expect(batch.inputs.scalars == dataset.inputs.gatherRows(batch.indices).scalars)
            #expect(batch.indices.count == batchSize || batch.indices.count == 100 % batchSize)
            seen += batch.indices
            batches += 1
        }
        #expect(seen.sorted() == Array(0..<100))
        #expect(batches == loader.batchCount)
    }

    @Test func shuffleOrderIsSeededAndChangesPerEpoch() {
        let loader = DataLoader(dataset, batchSize: 10, seed: 9)
        #expect(loader.order(epoch: 0) == DataLoader(dataset, batchSize: 10, seed: 9).order(epoch: 0))
        #expect(loader.order(epoch: 0) != loader.order(epoch: 1))
        #expect(loader.order(epoch: 0) != DataLoader(dataset, batchSize: 10, seed: 10).order(epoch: 0))
        #expect(loader.order(epoch: 0) != Array(0..<100))
        let epochOne = loader.batches(epoch: 1).flatMap(\.indices)
        #expect(epochOne == loader.order(epoch: 1))
        #expect(DataLoader(dataset, batchSize: 10, shuffle: false).flatMap(\.indices) == Array(0..<100))
    }
}
