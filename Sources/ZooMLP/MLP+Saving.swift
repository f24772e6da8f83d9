import ZooNN

/// An MLP file holds the configuration, input and class counts as hyperparameters and every layer's tensors and
/// buffers under PyTorch's `nn.Sequential` names (e.g. "1.weight" `[hidden, 784]`, "1.bias").
extension MLP: DenseNetworkModel {
    public static var familyName: String { "mlp" }
}
