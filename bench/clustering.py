"""Benchmark of the action-field suggestions on real, human-sorted ideas (timing lives here).

Run from the project root:

    .venv/bin/python bench/clustering.py --csv ../shared/data/ideas-pl-warszawa.csv [--k 5 20]

Implements the protocol of `shared/data/README.md`: keep the 8 most frequent categories; for each
seed 0, 1, 2 shuffle the rows with `random.Random(seed).shuffle`, the first k rows of each category
are the organiser's sortings and all others are test rows; balanced accuracy is the mean over
categories of the share of their test rows whose first suggestion is right, top-2 the same with the
first two suggestions; the mean over the seeds is printed with the seconds per seed. Each k prints
one line for the project's model (`app.services.sorting.suggestion_model.rank`) and one for the reference
baseline of the README (TF-IDF character n-grams + logistic regression), which should reproduce the
README's figures.

Small events (`--small 60 150`, on by default): real events have 50-400 ideas, of which the organiser
sorts a part, so the k-per-category protocol above (thousands of ideas) does not show how the model
behaves there. For each size N and each sorted share (1/4 and 1/2), each repetition r = 0..19
shuffles the rows with `random.Random(r).shuffle` and keeps the first N (the same N ideas for both
shares); the first N x share of them are sorted (so a category may have none sorted, as in a real
event), all others are test rows. Balanced accuracy and top-2 as above (over the categories with
test rows), plus the mean confidence of the first suggestion, over all test rows and over those
where it is right, and its chance level 1/8: confidences close to 1/8 everywhere mean "near
uniform". Three lines per setting: the model as above; the model with each category's name as its
seed text (`rank(..., seeds=...)`: the cold-start texts an organiser gives; here the English
category names of a Polish file, a weak hint); and the baseline. (The Hamburg file codes several
categories per idea, in a hierarchy: not usable for single-label targets, see the data README.)

A last line times a full recomputation for 5,000 ideas (the file's ideas topped up with shuffled-word
copies): `rank` for all, 20 sorted per category, and `clusters` for the unsorted.
"""
import argparse
import collections
import csv
import random
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import clustering_checks as checks  # noqa: E402
from app.services.sorting.suggestion_model import clusters, rank  # noqa: E402

SEEDS = (0, 1, 2)
TOP_CATEGORIES = 8


def load(path, text_column="title", label_column="category", top=TOP_CATEGORIES):
    """(text, category) rows with a text, of the `top` most frequent categories."""
    with open(path, encoding="utf-8") as f:
        rows = [(r[text_column], r[label_column]) for r in csv.DictReader(f) if r[text_column].strip()]
    keep = {c for c, _ in collections.Counter(c for _, c in rows).most_common(top)}
    return [(t, c) for t, c in rows if c in keep]


def split(rows, k, seed):
    """After a seeded shuffle, the first k rows of each category train, the rest test.

    Returns (shuffled rows, {index: category} of the training rows, indices of the test rows).
    """
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    _texts, labelled, test, _truth = checks.draw(rows, None, k, seed)
    return shuffled, labelled, test


def balanced(truth, ranked, n):
    """Mean over categories of the share of that category's test rows whose top-n holds it."""
    per = collections.defaultdict(list)
    for c, r in zip(truth, ranked):
        per[c].append(c in r[:n])
    return float(np.mean([np.mean(v) for v in per.values()]))


def model_ranking(texts, labelled, categories=()):
    """The project's model: [(category, confidence), ...] best first, for every text."""
    return rank(texts, labelled)


def model_names_ranking(texts, labelled, categories=()):
    """The project's model, with each category's name as its seed text."""
    return rank(texts, labelled, seeds={c: [c] for c in categories})


def baseline_ranking(texts, labelled, categories=()):
    """The README's reference: TF-IDF char_wb 2-5-grams on all texts + logistic regression (C=10)."""
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    vec.fit(texts)
    rows = list(labelled)
    target = [labelled[i] for i in rows]
    if len(set(target)) < 2:  # a logistic regression needs two classes
        return [[(target[0], 1.0)] for _ in texts]
    model = LogisticRegression(C=10, max_iter=3000).fit(vec.transform([texts[i] for i in rows]), target)
    proba = model.predict_proba(vec.transform(texts))
    return [[(model.classes_[i], float(p[i])) for i in np.argsort(-p)] for p in proba]


def scores(truth, ranked):
    """(balanced accuracy, top-2, mean first confidence, mean first confidence where right)."""
    names = [[c for c, _ in r] for r in ranked]
    first = [r[0][1] if r else 0.0 for r in ranked]
    right = [p for c, r, p in zip(truth, names, first) if r and r[0] == c]
    return (balanced(truth, names, 1), balanced(truth, names, 2), float(np.mean(first)),
            float(np.mean(right)) if right else float("nan"))


def run(rows, k, seed, ranking):
    rows, labelled, test = split(rows, k, seed)
    texts = [t for t, _ in rows]
    start = time.perf_counter()
    ranked = ranking(texts, labelled)
    seconds = time.perf_counter() - start
    truth = [rows[i][1] for i in test]
    balanced_accuracy, top2, _, _ = scores(truth, [ranked[i] for i in test])
    return balanced_accuracy, top2, seconds


SMALL_SHARES = (0.25, 0.5)
SMALL_REPEATS = 20


def small_event(rows, n, share, repetition):
    """`n` rows after a shuffle seeded by `repetition`; the first n x share of them are sorted.

    Returns (texts, {index: category} of the sorted rows, indices of the test rows, categories).
    """
    rows = rows[:]
    random.Random(repetition).shuffle(rows)
    rows = rows[:n]
    sorted_count = round(n * share)
    labelled = {i: c for i, (_, c) in enumerate(rows[:sorted_count])}
    return [t for t, _ in rows], labelled, list(range(sorted_count, len(rows))), [c for _, c in rows]


def run_small(rows, n, share, ranking, repeats=SMALL_REPEATS):
    """Mean (balanced, top-2, first confidence, first confidence where right, seconds) over repetitions."""
    categories = sorted({c for _, c in rows})
    results = []
    for repetition in range(repeats):
        texts, labelled, test, truth = small_event(rows, n, share, repetition)
        start = time.perf_counter()
        ranked = ranking(texts, labelled, categories)
        seconds = time.perf_counter() - start
        results.append((*scores([truth[i] for i in test], [ranked[i] for i in test]), seconds))
    return np.nanmean(np.array(results), axis=0)


def ideas_5000(rows, n=5000, seed=0):
    """The file's texts, topped up to `n` with shuffled-word copies of random rows (new texts)."""
    rng = random.Random(seed)
    texts = [t for t, _ in rows]
    while len(texts) < n:
        words = rng.choice(rows)[0].split()
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts[:n], [c for _, c in rows]


def time_full_recomputation(rows, per_category=20, n=5000, repeats=3):
    """Seconds of `rank` (each run) for `n` ideas of which `per_category` per category are sorted,
    and of `clusters` on the unsorted ones."""
    texts, categories = ideas_5000(rows, n)
    labelled, taken = {}, collections.Counter()
    for i, c in enumerate(categories):
        if taken[c] < per_category:
            taken[c] += 1
            labelled[i] = c
    rank_seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = rank(texts, labelled)
        rank_seconds.append(time.perf_counter() - start)
        assert len(result) == len(texts)
    unsorted = [t for i, t in enumerate(texts) if i not in labelled]
    start = time.perf_counter()
    clusters(unsorted)
    return rank_seconds, time.perf_counter() - start, len(labelled)


def protocol_lines(rows, ks, say):
    """The data README's protocol, k per category, 3 seeds: model and reference, and the model's
    calibration. Returns {k: (model balanced, reference balanced)}."""
    results = {}
    for k in ks:
        tally = checks.Tally()
        res = []
        for seed in SEEDS:
            rows_s, labelled, test = split(rows, k, seed)
            texts = [t for t, _ in rows_s]
            start = time.perf_counter()
            explain = {}
            ranked = rank(texts, labelled, explain=explain)
            seconds = time.perf_counter() - start
            truth = [rows_s[i][1] for i in test]
            tally.add(truth, [ranked[i] for i in test], explain["weight"])
            res.append((*scores(truth, [ranked[i] for i in test])[:2], seconds))
        model = np.mean(res, axis=0)
        say(f"model     k={k:<3} balanced {model[0]:.3f} top-2 {model[1]:.3f} seconds {model[2]:.2f} "
            f"chosen weight {', '.join(f'{w:.2f}' for w in tally.weights)}")
        base = np.mean([run(rows, k, s, baseline_ranking) for s in SEEDS], axis=0)
        say(f"baseline  k={k:<3} balanced {base[0]:.3f} top-2 {base[1]:.3f} seconds {base[2]:.2f}")
        say(f"calibration k={k}: {tally.calibration()}")
        results[k] = (model[0], base[0], tally)
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", required=True, nargs="+", help="CSV files with one idea per row")
    ap.add_argument("--text-column", default="title")
    ap.add_argument("--label-column", default="category")
    ap.add_argument("--k", type=int, nargs="*", default=[5, 20], help="sorted ideas per category (none: skip)")
    ap.add_argument("--small", type=int, nargs="*", default=[60, 150],
                    help="ideas per small event (none: skip the small-event protocol)")
    ap.add_argument("--repeats", type=int, default=SMALL_REPEATS, help="repetitions per small-event setting")
    ap.add_argument("--no-grid", action="store_true", help="skip the grid of sizes x k against the reference")
    ap.add_argument("--no-robustness", action="store_true", help="skip the harmful hint and the moved constants")
    ap.add_argument("--no-timing", action="store_true", help="skip the 5,000-idea recomputation")
    a = ap.parse_args(argv)
    all_gaps, full_gains, calibrations, purities = [], [], [], []
    first_rows = None
    for path in a.csv:
        rows = load(path, a.text_column, a.label_column)
        first_rows = first_rows or rows
        cats = len({c for _, c in rows})
        say = print
        say(f"{path}: {len(rows)} rows, {cats} categories (chance {1 / cats:.3f}), seeds {', '.join(map(str, SEEDS))}")
        results = protocol_lines(rows, a.k, lambda line: print(line, flush=True))
        if 20 in results:
            full_gains.append(results[20][0] - results[20][1])
        calibrations += [(f"{Path(path).stem} k={k}", r[2]) for k, r in results.items()]
        if a.small:
            print(f"small events: {a.repeats} random subsamples each, the first N x share sorted; "
                  f"confidence = mean of the first suggestion's (chance {1 / cats:.3f}), and where it is right")
        for n in a.small:
            for share in SMALL_SHARES:
                for name, ranking in (("model", model_ranking), ("model+names", model_names_ranking),
                                      ("baseline", baseline_ranking)):
                    res = run_small(rows, n, share, ranking, a.repeats)
                    print(f"{name:<11} N={n:<4} sorted {share:.2f} balanced {res[0]:.3f} top-2 {res[1]:.3f} "
                          f"confidence {res[2]:.2f} right {res[3]:.2f} seconds {res[4]:.3f}", flush=True)
        if not a.no_grid:
            gaps, tallies = checks.grid(rows, baseline_ranking, lambda line: print(line, flush=True))
            all_gaps += gaps
            calibrations += [(f"{Path(path).stem} {cell}", tally) for cell, tally in tallies.items()]
            for cell, tally in tallies.items():
                print(f"calibration {cell}: {tally.calibration()}", flush=True)
        if not a.no_robustness:
            model, reference = checks.harmful_hint(rows, baseline_ranking)
            print(f"harmful hint (each field seeded with another field's name), k=20: model {model:.3f} "
                  f"reference {reference:.3f} gap {model - reference:+.3f}", flush=True)
            base, largest = checks.constants_moved(rows, print_line=lambda line: print(line, flush=True))
            print(f"constants moved by 50 %, k=20 balanced {base:.3f}: largest change {largest:.3f}", flush=True)
        purity, coverage, pairs = checks.cluster_purity(rows)
        purities.append((purity, coverage))
        print(f"proposed clusters (k=20 split, the unsorted ideas): pair purity {purity:.3f} over {pairs} pairs, "
              f"coverage {coverage:.3f}", flush=True)
    if all_gaps:
        gap_values = [g for _, g in all_gaps]
        print(f"grid files {len(a.csv)} cells {len(all_gaps)} worst gap {min(gap_values):+.3f} "
              f"mean gap {np.mean(gap_values):+.3f}")
    if full_gains:
        print(f"full files k=20 mean gain over the reference {np.mean(full_gains):+.3f}")
    if calibrations:
        worst = max(t.worst_calibration()[0] for _, t in calibrations)
        highs = [h for _, t in calibrations if (h := t.worst_calibration()[1]) is not None]
        print(f"calibration worst |C-A| {worst:.2f}; first suggestions >= {checks.HIGH_CONFIDENCE:.1f} right "
              f"at least {min(highs) if highs else float('nan'):.2f} (settings with 20 or more such suggestions)")
    if purities:
        print(f"clusters worst pair purity {min(p for p, _ in purities):.3f}, "
              f"least coverage {min(c for _, c in purities):.3f}")
    if a.no_timing:
        return
    rank_seconds, cluster_seconds, n_labelled = time_full_recomputation(first_rows)
    print(f"full recomputation, 5000 ideas ({n_labelled} sorted): rank seconds {np.median(rank_seconds):.2f} "
          f"(median of {len(rank_seconds)}, slowest {max(rank_seconds):.2f}); "
          f"clusters of the unsorted seconds {cluster_seconds:.2f}")


if __name__ == "__main__":
    main()
