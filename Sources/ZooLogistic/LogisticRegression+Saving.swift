import ZooNN

/// A logistic-regression file holds the training configuration, input and class counts as hyperparameters and
/// the one layer's "0.weight" `[classes, features]` and "0.bias" `[classes]`.
extension LogisticRegression: DenseNetworkModel {
    public static var familyName: String { "logistic" }
}
