"""The checks of `bench/clustering.py` beyond the data README's protocol: the grid of event sizes
against the reference, calibration, robustness to a harmful hint and to the model's constants,
and the purity of the proposed clusters. Imported by `bench/clustering.py`; not run on its own."""
import collections
import itertools
import random

import numpy as np

from app.services.sorting import suggestion_model, suggestion_stack, text_features
from app.services.sorting.suggestions import CANDIDATE_DISTANCE, CANDIDATE_POOL

GRID_SIZES = (400, 900, None)  # None: all ideas of the file
GRID_KS = (5, 20, 40)
GRID_REPEATS = 20
HIGH_CONFIDENCE = 0.8


def draw(rows, n, k, repetition):
    """The small-event protocol: shuffle by `repetition`, keep the first `n` rows (all with None);
    then the first k rows of each category are sorted, the rest test rows (a category with k rows or
    fewer in the draw has all of them sorted and no test row)."""
    rows = rows[:]
    random.Random(repetition).shuffle(rows)
    rows = rows[:n] if n else rows
    taken, labelled, test = collections.Counter(), {}, []
    for i, (_, c) in enumerate(rows):
        if taken[c] < k:
            taken[c] += 1
            labelled[i] = c
        else:
            test.append(i)
    return [t for t, _ in rows], labelled, test, [c for _, c in rows]


class Tally:
    """Balanced accuracy per draw, and each first suggestion's confidence and whether it was right."""

    def __init__(self):
        self.balanced, self.confidence, self.right, self.weights = [], [], [], []

    def add(self, truth, ranked, weight=None):
        per = collections.defaultdict(list)
        for c, r in zip(truth, ranked):
            first, confidence = r[0] if r else (None, 0.0)
            per[c].append(first == c)
            self.confidence.append(confidence)
            self.right.append(first == c)
        self.balanced.append(float(np.mean([np.mean(v) for v in per.values()])))
        if weight is not None:
            self.weights.append(weight)

    def calibration(self) -> str:
        confidence, right = np.array(self.confidence), np.array(self.right)
        high = confidence >= HIGH_CONFIDENCE
        high_right = f"{right[high].mean():.2f}" if high.any() else "-"
        return (f"confidence C {confidence.mean():.2f} right A {right.mean():.2f} |C-A| "
                f"{abs(confidence.mean() - right.mean()):.2f}; >= {HIGH_CONFIDENCE:.1f}: {int(high.sum())} "
                f"right {high_right}")

    def worst_calibration(self) -> tuple[float, float | None]:
        confidence, right = np.array(self.confidence), np.array(self.right)
        high = confidence >= HIGH_CONFIDENCE
        return abs(confidence.mean() - right.mean()), (float(right[high].mean()) if high.sum() >= 20 else None)


def run_model(texts, labelled, test, truth, tally, seeds=None):
    explain = {}
    ranked = suggestion_model.rank(texts, labelled, seeds=seeds, explain=explain)
    tally.add([truth[i] for i in test], [ranked[i] for i in test], explain.get("weight"))


def grid(rows, baseline_ranking, print_line):
    """Model and reference per cell of sizes x k; returns [(cell, gap)] and the model's tallies."""
    gaps, tallies = [], {}
    for n, k in itertools.product(GRID_SIZES, GRID_KS):
        model, reference = Tally(), Tally()
        for repetition in range(GRID_REPEATS if n else 1):
            texts, labelled, test, truth = draw(rows, n, k, repetition)
            if not test or len(set(labelled.values())) < 2:
                continue
            run_model(texts, labelled, test, truth, model)
            ranked = baseline_ranking(texts, labelled)
            reference.add([truth[i] for i in test], [ranked[i] for i in test])
        if not model.balanced:
            continue
        gap = float(np.mean(model.balanced) - np.mean(reference.balanced))
        size = n or len(rows)
        gaps.append(((size, k), gap))
        tallies[f"N={size} k={k}"] = model
        print_line(f"grid N={size:<5} k={k:<3} draws {len(model.balanced):>2} model {np.mean(model.balanced):.3f} "
                   f"reference {np.mean(reference.balanced):.3f} gap {gap:+.3f} "
                   f"chosen weight {np.mean(model.weights):.2f} (0: the reference, 1: the full model; "
                   f"{sum(w == 0 for w in model.weights)} of {len(model.weights)} chose 0)")
    return gaps, tallies


def harmful_hint(rows, baseline_ranking, k=20):
    """Seed texts naming the wrong field (each category gets the next one's name): model vs reference."""
    categories = sorted({c for _, c in rows})
    wrong = {c: [categories[(i + 1) % len(categories)]] for i, c in enumerate(categories)}
    model, reference = Tally(), Tally()
    for seed in (0, 1, 2):
        texts, labelled, test, truth = draw(rows, None, k, seed)
        run_model(texts, labelled, test, truth, model, seeds=wrong)
        ranked = baseline_ranking(texts, labelled)
        reference.add([truth[i] for i in test], [ranked[i] for i in test])
    return float(np.mean(model.balanced)), float(np.mean(reference.balanced))


# The model's constants, where they live; shares in (0, 1) (and tuples of them) are moved on their
# distance to 1.
CONSTANTS = [
    (text_features, "SHORTEST_WORD", int), (text_features, "PREFIX_MIN", int),
    (text_features, "PREFIX_HALF_LIFE", float),
    (text_features, "N_NEIGHBORS", int),
    (suggestion_model, "ALPHA_SMALL", "share"), (suggestion_model, "ALPHA_LARGE", "share"),
    (suggestion_model, "SMALL_EVENT", int), (suggestion_model, "LARGE_EVENT", int),
    (suggestion_model, "ALPHAS", "shares"),
    (suggestion_model, "SPREAD_STEPS", int), (suggestion_model, "CLASSIFIER_C", float),
    (suggestion_model, "SEED_WEIGHT", float), (suggestion_model, "SEED_PRIOR", float),
    (suggestion_stack, "CALIBRATION_FOLDS", int), (suggestion_stack, "CALIBRATION_MAX", int),
    (suggestion_stack, "STACK_BOOTSTRAPS", int),
    (suggestion_model, "SELECTION_MIN_PER_FIELD", int), (suggestion_model, "PRIOR_TRUST_SORTINGS", float),
    (suggestion_model, "COLD_START_ALPHA", "share"), (suggestion_model, "COLD_START_NONE", float),
]


def moved(value, kind, factor):
    if kind == "share":
        return 1.0 - (1.0 - value) * factor
    if kind == "shares":
        return tuple(moved(v, "share", factor) for v in value)
    if kind is int:
        return max(2, int(round(value * factor)))
    return value * factor


def constants_moved(rows, k=20, print_line=print):
    """k=20 balanced accuracy with each constant at 50 % and 150 %; returns the largest change."""
    def balanced():
        tally = Tally()
        for seed in (0, 1, 2):
            run_model(*draw(rows, None, k, seed), tally)
        return float(np.mean(tally.balanced))

    base = balanced()
    largest = 0.0
    for module, name, kind in CONSTANTS:
        original = getattr(module, name)
        changes = []
        for factor in (0.5, 1.5):
            setattr(module, name, moved(original, kind, factor))
            try:
                changes.append(balanced() - base)
            finally:
                setattr(module, name, original)
        largest = max(largest, *map(abs, changes))
        print_line(f"constant {name:<17} {original!s:<6} x0.5 {changes[0]:+.3f} x1.5 {changes[1]:+.3f}")
    return base, largest


def cluster_purity(rows, k=20, seed=0):
    """The service's proposal (its pool, distance and cap) on the unsorted ideas of the k=20 split:
    the share of pairs inside a proposed cluster with the same category, and the share of the
    unsorted ideas in a proposed cluster."""
    texts, labelled, test, truth = draw(rows, None, k, seed)
    pool = test[-CANDIDATE_POOL:]
    same = pairs = covered = 0
    for members, _label in suggestion_model.clusters([texts[i] for i in pool], distance_threshold=CANDIDATE_DISTANCE):
        covered += len(members)
        for a, b in itertools.combinations(members, 2):
            pairs += 1
            same += truth[pool[a]] == truth[pool[b]]
    return same / max(pairs, 1), covered / len(test), pairs
