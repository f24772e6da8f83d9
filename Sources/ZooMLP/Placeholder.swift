// ZooMLP: to be built (see the issues).
