#!/usr/bin/python3
"""Reference Isolation Forest scores from scikit-learn, for AMOSKYS's quality comparison.

Run by SklearnComparisonTest (bundles/model-evaluate) with Debian's python3-sklearn:

    /usr/bin/python3 sklearn_iforest.py --trees 100 --sample 256 FOLDER

FOLDER holds one CSV per capture (a header of feature names, then one float32 row per vector) and
jobs.tsv, one job a line: name, seed, the captures to train on and the captures to score (comma-separated
CSV names). For each job it fits sklearn.ensemble.IsolationForest on the training captures' rows and writes
FOLDER/NAME.scores: one score per line for the scoring captures' rows in order, as -score_samples, which is
the paper's s = 2^(-E[h]/c(psi)) in (0, 1], the score our forest gives.
"""
import argparse
import os

import numpy as np
from sklearn.ensemble import IsolationForest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trees", type=int, required=True)
    parser.add_argument("--sample", type=int, required=True)
    parser.add_argument("folder")
    args = parser.parse_args()

    rows = {}

    def load(names):
        for name in names:
            if name not in rows:
                # float32, as sklearn's trees use: the CSV holds the float32 values exactly
                rows[name] = np.loadtxt(os.path.join(args.folder, name), delimiter=",", skiprows=1,
                                        dtype=np.float32, ndmin=2)
        return np.vstack([rows[n] for n in names])

    with open(os.path.join(args.folder, "jobs.tsv")) as jobs:
        for line in jobs:
            name, seed, train, score = line.rstrip("\n").split("\t")
            x = load(train.split(","))
            forest = IsolationForest(n_estimators=args.trees, max_samples=min(args.sample, len(x)),
                                     random_state=int(seed)).fit(x)
            np.savetxt(os.path.join(args.folder, name + ".scores"), -forest.score_samples(load(score.split(","))),
                       fmt="%.17g")


if __name__ == "__main__":
    main()
