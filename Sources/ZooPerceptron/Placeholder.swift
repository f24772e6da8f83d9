// ZooPerceptron: to be built (see the issues).
