#!/usr/bin/env python3
"""Writes chicken-feed.csv: SYNTHETIC data for the lecture's linear-regression example, not measurements.

Each row is one chick: feed_grams, the feed it has eaten so far, drawn uniformly from 0 to 3000 g, and
weight_grams, its body weight, drawn as

    weight_grams = TRUE_INTERCEPT + TRUE_SLOPE * feed_grams + Normal(0, NOISE_SD)

with TRUE_SLOPE = 0.6 g of weight per g of feed (a broiler's feed conversion ratio of about 1.7), TRUE_INTERCEPT =
42 g (a hatchling's weight) and NOISE_SD = 25 g. The generator is seeded, so running this script again writes the
same file byte for byte (Python's random.Random is the same Mersenne Twister on every version and platform).

    python3 Data/examples/make-chicken-feed.py   # rewrites Data/examples/chicken-feed.csv
"""
import os
import random

TRUE_SLOPE = 0.6
TRUE_INTERCEPT = 42.0
NOISE_SD = 25.0
ROWS = 100
SEED = 0


def main():
    generator = random.Random(SEED)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "chicken-feed.csv")
    lines = ["feed_grams,weight_grams"]
    for _ in range(ROWS):
        feed = generator.uniform(0, 3000)
        weight = TRUE_INTERCEPT + TRUE_SLOPE * feed + generator.gauss(0, NOISE_SD)
        lines.append(f"{feed:.1f},{weight:.1f}")
    temporary = path + ".tmp"
    with open(temporary, "w") as output:
        output.write("\n".join(lines) + "\n")
    os.replace(temporary, path)


if __name__ == "__main__":
    main()
