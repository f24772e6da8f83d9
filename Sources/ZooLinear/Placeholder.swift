// ZooLinear: to be built (see the issues).
