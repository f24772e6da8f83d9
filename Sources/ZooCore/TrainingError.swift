/// Training stopped because it could not go on, naming where.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss of a batch was NaN or infinite: the weights have diverged or the inputs hold NaN.
    case nonFiniteLoss(epoch: Int, batch: Int, value: Float, learningRate: Float)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, value, learningRate):
            "the loss became \(value) at epoch \(epoch), batch \(batch): training diverged. Lower the learning "
                + "rate (it is \(learningRate)), try another optimizer, or check the inputs for NaN or infinity"
        }
    }
}
