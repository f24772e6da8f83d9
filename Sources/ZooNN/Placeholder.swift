// ZooNN: to be built (see the issues).
