// ZooLogistic: to be built (see the issues).
