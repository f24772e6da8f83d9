// ZooTree: to be built (see the issues).
