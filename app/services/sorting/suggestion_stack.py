"""Stacking the full suggestion model with the reference classifier, and calibrating the mix: the
cross-validation on an event's own sorted ideas that decides both (no database, no Flask).
Used by `app.services.sorting.suggestion_model.rank`."""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

CALIBRATION_FOLDS = 4  # the confidences' temperature is fitted by this many-fold cross-validation ...
CALIBRATION_MIN, CALIBRATION_MAX = 10, 200  # ... on at least / at most this many sorted ideas
CALIBRATION_TOL = 1e-3  # the folds' classifiers stop earlier (1e-4 otherwise): only one number comes of them
# Candidate temperatures: confidences from the tenth power of the spread ones to their square root,
# as the held-out sortings ask (spreading flattens the confidences of big events a lot).
TEMPERATURES = np.geomspace(1 / 10, 2.0, 27)
# Shares of the full model mixed into the reference classifier, chosen per event by cross-validation.
STACK_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
STACK_BOOTSTRAPS = 50  # resamples of the held-out ideas the choice of weight is averaged over

def folds(rows: list[int], target: Mapping[int, int]) -> list[list[int]]:
    """CALIBRATION_FOLDS folds of at most CALIBRATION_MAX sorted ideas, each field dealt round the
    folds in turn (stratified), so every fold sees every field the organiser has sorted."""
    pool = rows[::math.ceil(len(rows) / CALIBRATION_MAX)]
    pool = sorted(pool, key=lambda i: (target[i], i))
    return [pool[k::CALIBRATION_FOLDS] for k in range(CALIBRATION_FOLDS)]


def held_out(rows: list[int], target: Mapping[int, int], taught_by_seeds: set[int],
              models: Sequence[Callable[[list[int], float], np.ndarray | None]]):
    """Each model's confidences for the sorted ideas it did not learn from (cross-validation).

    Returns ([held-out confidences per model], truth), or None where there are too few sorted
    ideas to tell. An idea whose field no other sorted idea (or seed text) shows is left out: no
    model can know it. A model that cannot learn from a fold (one field only) gives None there.
    """
    if len(rows) < CALIBRATION_MIN:
        return None
    parts = folds(rows, target)
    held = [[] for _ in models]
    truth = []
    for k, fold in enumerate(parts):
        train = [i for j, other in enumerate(parts) if j != k for i in other]
        taught = {target[i] for i in train} | taught_by_seeds
        fold = [i for i in fold if target[i] in taught]
        if not fold or len(taught) < 2:
            continue
        outputs = [model(train, CALIBRATION_TOL) for model in models]
        for store, output in zip(held, outputs):
            store.append(None if output is None else output[fold])
        truth += [target[i] for i in fold]
    if not truth:
        return None
    stacked = [None if any(part is None for part in store) else np.vstack(store) for store in held]
    return stacked, np.array(truth)


def balanced_accuracy(p: np.ndarray, truth: np.ndarray) -> float:
    """Mean over the fields in `truth` of the share of their ideas whose first suggestion is right."""
    first = p.argmax(axis=1)
    return float(np.mean([np.mean(first[truth == c] == c) for c in np.unique(truth)]))


def choose_weight(p_reference: np.ndarray | None, p_model: np.ndarray, truth: np.ndarray) -> float:
    """How much of the full model (spreading, prior, seed texts) to mix into the reference classifier.

    On the held-out sorted ideas the weight with the best balanced accuracy wins (among equals the
    one with the higher likelihood of the right fields, then the smaller weight). A few dozen
    held-out ideas make that choice jump between the extremes from one event to the next, so it
    is made on STACK_BOOTSTRAPS resamples of them (drawn with replacement, fixed seed) and the mean
    of their choices is taken (bagging the choice): a clear winner stays chosen, a close call lands
    in between, and a small change to the model moves the weight a little rather than flipping it
    from one of the candidates to the next. Weight 0, where every resample prefers it, is the
    plain reference classifier, so where the additions do not pay off on this event's own
    sortings, the suggestions are the reference's.
    """
    if p_reference is None:
        return 1.0
    draws = np.random.default_rng(0).integers(0, len(truth), size=(STACK_BOOTSTRAPS, len(truth)))
    return float(np.mean([_best_weight(p_reference[i], p_model[i], truth[i]) for i in draws]))


def _best_weight(p_reference: np.ndarray, p_model: np.ndarray, truth: np.ndarray) -> float:
    best, chosen = None, 0.0
    for weight in STACK_WEIGHTS:
        p = (1.0 - weight) * p_reference + weight * p_model
        likelihood = float(np.mean(np.log(np.maximum(p[np.arange(len(truth)), truth], 1e-9))))
        score = (round(balanced_accuracy(p, truth), 9), likelihood)
        if best is None or score > best:
            best, chosen = score, weight
    return chosen


def temperature(p: np.ndarray, truth: np.ndarray, covered: float) -> float:
    """Temperature that makes the confidences fit the organiser's own sortings.

    The temperature T is chosen for which the mean confidence of the first suggestion, in
    p ** (1 / T), comes closest to the share of first suggestions that are right, on the held-out
    sorted ideas, both over all of them and over the surer half (the sum of the two gaps): what the
    board promises ("accept all above 80 %") is exactly that match, and matching the mean alone
    left the surest suggestions too sure (right 69 % of the time at 0.8 or more). (A
    log-loss fit is thrown by a few confident mistakes among few held-out ideas and left the
    confidences of events with 5 sorted ideas per field 0.13 below their accuracy.) Label spreading
    averages an idea with its neighbours and so understates how sure it is where the fields are
    clear. Mistakes about a field with no sorted idea yet are invisible here: T moves towards 1
    by their share (`covered`: the share of fields with a sorted idea).
    """
    log_p = np.log(np.maximum(p, 1e-9))
    right = p.argmax(axis=1) == truth
    surest = np.argsort(-p.max(axis=1), kind="stable")[: max(1, len(truth) // 2)]

    def gap(t: float) -> float:
        confidence = np.exp(sharpen_log(log_p, t)).max(axis=1)
        return (abs(float(confidence.mean() - right.mean()))
                + abs(float(confidence[surest].mean() - right[surest].mean())))

    gaps = [gap(t) for t in TEMPERATURES]
    return float(TEMPERATURES[int(np.argmin(gaps))]) ** covered


class Reference:
    """The reference classifier of shared/data/reference_baseline.py, exactly: TF-IDF of character
    2-5-grams within words, fitted on all ideas, and a logistic regression with C = 10."""

    def __init__(self, texts: Sequence[str], classes: list[str]):
        self.classes = classes
        try:
            self.x = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit_transform(texts)
        except ValueError:  # no characters at all
            self.x = None

    def __call__(self, train: list[int], labels: Mapping[int, int], tol: float | None = None) -> np.ndarray | None:
        """Confidences for every idea (rows sum to 1) learnt from `train`; None with one field only.

        Without `tol`, solved as the reference is (lbfgs); with it (cross-validation folds, where only
        a choice comes of it), the same objective by Newton-CG to that tolerance, several times faster.
        """
        target = [labels[i] for i in train]
        if self.x is None or len(set(target)) < 2:
            return None
        if tol is None:
            model = LogisticRegression(C=10, max_iter=3000)
        else:
            model = LogisticRegression(C=10, solver="newton-cg", max_iter=1000, tol=tol)
        model.fit(self.x[train], target)
        p = np.zeros((self.x.shape[0], len(self.classes)))
        p[:, model.classes_] = model.predict_proba(self.x)
        return p


def sharpen_log(log_p: np.ndarray, temperature: float) -> np.ndarray:
    """Log of the rows of exp(log_p / temperature), each normalised to sum to 1."""
    z = log_p / temperature
    z -= z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def sharpen(f: np.ndarray, temperature: float) -> np.ndarray:
    """Rows of f ** (1 / temperature), each normalised to sum to 1 (zeros stay zero)."""
    if temperature == 1.0:
        return f
    with np.errstate(divide="ignore"):
        return np.exp(sharpen_log(np.log(f), temperature))
