// ZooHarness: to be built (see the issues).
