/// Estimates the time left in a comparison from the jobs already done.
///
/// A job is a fit on `size` samples, a prediction of the test set and a prediction of the `size` training
/// samples. Each family's fit is taken to cost its measured seconds per training sample so far, and its
/// predictions its measured seconds per predicted sample; a family not measured yet is assumed to cost the
/// average of those that were. Crude (a tree is N log N, and epochs or early stopping change an SGD family's
/// cost), but it gets the order of magnitude right after the first size, which is what a progress line needs.
struct RemainingTimeEstimator {
    private let jobs: [CompareJob]
    private let testSize: Int
    private var rates = [String: Rate]()

    /// Seconds per sample of one family (or of all), summed over the jobs measured so far.
    private struct Rate {
        var fitSeconds = 0.0, fitSamples = 0.0, predictSeconds = 0.0, predictSamples = 0.0

        mutating func add(_ other: Rate) {
            fitSeconds += other.fitSeconds
            fitSamples += other.fitSamples
            predictSeconds += other.predictSeconds
            predictSamples += other.predictSamples
        }

        func seconds(size: Int, testSize: Int) -> Double {
            fitSeconds / fitSamples * Double(size) + predictSeconds / predictSamples * Double(size + testSize)
        }
    }

    /// An estimator for `jobs`, each of which predicts all `testSize` test samples.
    init(jobs: [CompareJob], testSize: Int) {
        self.jobs = jobs
        self.testSize = testSize
    }

    /// Notes that job number `index` took `seconds` in all, `fitSeconds` of them in `fit`.
    mutating func record(_ index: Int, seconds: Double, fitSeconds: Double) {
        let job = jobs[index]
        rates[job.model, default: Rate()].add(Rate(fitSeconds: fitSeconds, fitSamples: Double(job.size),
                                                   predictSeconds: max(seconds - fitSeconds, 0),
                                                   predictSamples: Double(job.size + testSize)))
    }

    /// Estimated seconds for jobs `index...` (from job `index` on, when it is about to start); nil before any job
    /// has been measured.
    func remainingSeconds(after index: Int) -> Double? {
        guard !rates.isEmpty else { return nil }
        var average = Rate()
        for rate in rates.values { average.add(rate) }
        return jobs[index...].reduce(0) { total, job in
            total + (rates[job.model] ?? average).seconds(size: job.size, testSize: testSize)
        }
    }
}
