/// Estimates the time left in a comparison from the jobs already done.
///
/// A job's cost is taken as proportional to its training-set size, at the rate (seconds per sample) its own
/// family showed so far; a family not measured yet is assumed to run at the average rate of those that were.
/// Crude (a tree is N log N, an SGD family linear in N and epochs), but it gets the order of magnitude right
/// after the first size, which is what a progress line needs.
struct RemainingTimeEstimator {
    private let jobs: [CompareJob]
    private var secondsByModel = [String: Double]()
    private var samplesByModel = [String: Double]()

    init(jobs: [CompareJob]) {
        self.jobs = jobs
    }

    /// Notes that job number `index` took `seconds`.
    mutating func record(_ index: Int, seconds: Double) {
        let job = jobs[index]
        secondsByModel[job.model, default: 0] += seconds
        samplesByModel[job.model, default: 0] += Double(job.size)
    }

    /// Estimated seconds for jobs `index...` (from job `index` on, when it is about to start); nil before any job
    /// has been measured.
    func remainingSeconds(after index: Int) -> Double? {
        let totalSamples = samplesByModel.values.reduce(0, +)
        guard totalSamples > 0 else { return nil }
        let averageRate = secondsByModel.values.reduce(0, +) / totalSamples
        return jobs[index...].reduce(0) { total, job in
            let rate = samplesByModel[job.model].map { secondsByModel[job.model]! / $0 } ?? averageRate
            return total + rate * Double(job.size)
        }
    }
}
