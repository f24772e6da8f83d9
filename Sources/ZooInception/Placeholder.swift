// ZooInception: to be built (see the issues).
