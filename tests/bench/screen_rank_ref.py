"""The reference for `make bench`'s prioritised screening: ASReview's
default model (version 1) written with scikit-learn, run on the same
labelled file with the same two records given first as winnow's
simulation, so that the two orders can be compared record for record.

ASReview v1 default: TF-IDF over title and abstract (scikit-learn's
English stop words, as ASReview's Tfidf sets them; otherwise the
defaults: unigrams, smooth idf, l2), multinomial naive Bayes with
alpha 3.822, the "double" balance strategy resampling the training set,
maximum-relevance query, one record per query, retrained every time.

Usage: screen_rank_ref.py FILE LABEL_COLUMN PRIOR_RELEVANT PRIOR_IRRELEVANT SEED
(the priors 1-based, as `winnow simulate --format json` gives them).
Prints JSON: the order screened after the priors (1-based), and seconds.
"""
import csv
import json
import math
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB


def one_weight(n_one, n_zero, a=2.155, alpha=0.94):
    return a * (n_one / n_zero) ** (-alpha)


def zero_weight(n_read, b=0.789, beta=1.0):
    return 1 - (1 - b) * (1 + math.log(n_read)) ** (-beta)


def random_round(value, rng):
    base = int(math.floor(value))
    return base + 1 if rng.random_sample() < value - base else base


def fill_training(src, n_train, rng):
    n_copy = n_train // len(src)
    n_sample = n_train - n_copy * len(src)
    dest = np.tile(src, n_copy)
    return np.append(dest, rng.choice(src, n_sample, replace=False))


def double_balance(y, train_idx, rng):
    ones = train_idx[y[train_idx] == 1]
    zeros = train_idx[y[train_idx] == 0]
    n_one, n_zero = len(ones), len(zeros)
    n_train = n_one + n_zero
    w1 = one_weight(n_one, n_zero)
    w0 = zero_weight(n_train)
    n_one_train = random_round(w1 * n_one * n_train / (w1 * n_one + w0 * n_zero), rng)
    n_one_train = max(1, min(n_train - 2, n_one_train))
    idx = np.concatenate([fill_training(ones, n_one_train, rng),
                          fill_training(zeros, n_train - n_one_train, rng)])
    rng.shuffle(idx)
    return idx


def main():
    path, column, prior_rel, prior_irr, seed = sys.argv[1:6]
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [(r.get("title") or "") + " " + (r.get("abstract") or "") for r in rows]
    y = np.array([1 if r[column].strip() in ("1", "1.0") else 0 for r in rows])
    start = time.perf_counter()
    X = TfidfVectorizer(ngram_range=(1, 1), stop_words="english").fit_transform(texts)
    rng = np.random.RandomState(int(seed))
    labelled = [int(prior_rel) - 1, int(prior_irr) - 1]
    pool = np.ones(len(rows), dtype=bool)
    pool[labelled] = False
    order = []
    found, relevant = 0, int(y.sum()) - 1
    model = MultinomialNB(alpha=3.822)
    while pool.any() and found < relevant:
        idx = double_balance(y, np.array(labelled), rng)
        model.fit(X[idx], y[idx])
        candidates = np.flatnonzero(pool)
        proba = model.predict_proba(X[candidates])[:, 1]
        best = candidates[int(np.argmax(proba))]
        pool[best] = False
        labelled.append(best)
        order.append(int(best) + 1)
        found += int(y[best])
    print(json.dumps({"order": order, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
