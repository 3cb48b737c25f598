"""Stacking the full suggestion model with the reference classifier, and calibrating the mix: the
cross-validation on an event's own sorted ideas that decides both (no database, no Flask).
Used by `app.services.sorting.suggestion_model.rank`."""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
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
    """Each model's confidences for the sorted ideas it did not learn from (cross-validation): the
    folds split a pool of at most CALIBRATION_MAX of them, and each fold's models learn from every
    other sorted idea (learning from the pool's alone left them less sure than the final model,
    and the confidences fitted to them too sure).

    Returns ([held-out confidences per model], truth), or None where there are too few sorted
    ideas to tell. An idea whose field no other sorted idea (or seed text) shows is left out: no
    model can know it. A model that cannot learn from a fold (one field only) gives None there.
    """
    if len(rows) < CALIBRATION_MIN:
        return None
    parts = folds(rows, target)
    held = [[] for _ in models]
    truth = []
    for fold in parts:
        kept_out = set(fold)
        train = [i for i in rows if i not in kept_out]  # every other sorted idea, not only the pool's
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
    mixes = [(1.0 - weight) * p_reference + weight * p_model for weight in STACK_WEIGHTS]
    return choose_share(STACK_WEIGHTS, mixes, truth)


def choose_share(candidates: Sequence[float], held: list[np.ndarray], truth: np.ndarray) -> float:
    """The mean, over STACK_BOOTSTRAPS resamples of the held-out ideas, of the candidate whose
    confidences (`held`, one array per candidate) had the best balanced accuracy there (among
    equals the higher likelihood of the right fields, then the first)."""
    draws = np.random.default_rng(0).integers(0, len(truth), size=(STACK_BOOTSTRAPS, len(truth)))
    chosen = []
    for i in draws:
        scores = [(round(balanced_accuracy(p[i], truth[i]), 9),
                   float(np.mean(np.log(np.maximum(p[i][np.arange(len(i)), truth[i]], 1e-9))))) for p in held]
        chosen.append(candidates[max(range(len(candidates)), key=lambda k: (scores[k], -k))])
    return float(np.mean(chosen))


def calibration(p: np.ndarray, truth: np.ndarray, covered: float,
                shares: np.ndarray | None = None) -> tuple[float, float]:
    """Temperature and ceiling that make the confidences fit the organiser's own sortings.

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

    The ceiling: no first suggestion is surer than the surer half of the held-out ones are known
    to be right: their share right (counted with one right and one wrong added) less half its
    standard error, so 15 of 15 right gives 0.91, 13 of 15 0.78 and 72 of 80 0.87. Where few
    ideas are sorted, sharpening stretched the confidences beyond what they can tell apart: in
    Łódź with 5 sorted per field, suggestions of 0.6-0.8, 0.8-0.9 and 0.9-1 were all right about
    two times in three. The ceiling is at least 1/2, so capping never changes the order.

    `shares`, each field's expected share of the ideas still to sort: the held-out ideas are
    weighed to match (the sorted ideas need not be a sample of the rest: an organiser may sort 40
    of each field, or a small field whole), so the fit is to the ideas the confidences are shown for.
    """
    log_p = np.log(np.maximum(p, 1e-9))
    right = (p.argmax(axis=1) == truth).astype(float)
    weights = _matching(truth, shares, p.shape[1])
    surest = np.argsort(-p.max(axis=1), kind="stable")[: max(1, len(truth) // 2)]
    if weights[surest].sum() <= 0:
        weights = np.ones(len(truth))
    top_weight = float(weights[surest].sum())
    achieved = (float(weights[surest] @ right[surest]) + 1) / (top_weight + 2)
    ceiling = max(0.5, achieved - 0.5 * math.sqrt(achieved * (1 - achieved) / (top_weight + 2)))
    accuracy, top_accuracy = np.average(right, weights=weights), np.average(right[surest], weights=weights[surest])

    def gap(t: float) -> float:
        confidence = np.minimum(np.exp(sharpen_log(log_p, t)).max(axis=1), ceiling)
        return (abs(float(np.average(confidence, weights=weights) - accuracy))
                + abs(float(np.average(confidence[surest], weights=weights[surest]) - top_accuracy)))

    gaps = [gap(t) for t in TEMPERATURES]
    return float(TEMPERATURES[int(np.argmin(gaps))]) ** covered, ceiling


class Reference:
    """The reference classifier of shared/data/reference_baseline.py, exactly: TF-IDF of character
    2-5-grams within words, fitted on all ideas (`x`: `text_features.CharGrams.tfidf(ideas, 5)`,
    the same matrix as TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    makes, its columns in another order), and a logistic regression with C = 10."""

    def __init__(self, x: sp.csr_matrix, classes: list[str]):
        self.classes = classes
        self.x = x if x.shape[1] else None  # no characters at all

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


def _matching(truth: np.ndarray, shares: np.ndarray | None, fields: int) -> np.ndarray:
    """Weights of the held-out ideas (summing to their number) that give each field the share
    `shares` says; equal weights without shares, or where they would all be 0."""
    if shares is None:
        return np.ones(len(truth))
    held = np.bincount(truth, minlength=fields) / len(truth)
    per_field = np.divide(shares, held, out=np.zeros(fields), where=held > 0)
    weights = per_field[truth]
    if weights.sum() <= 0:
        return np.ones(len(truth))
    return weights * len(truth) / weights.sum()


def sharpen_log(log_p: np.ndarray, temperature: float) -> np.ndarray:
    """Log of the rows of exp(log_p / temperature), each normalised to sum to 1."""
    z = log_p / temperature
    z -= z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def sharpen(f: np.ndarray, temperature: float, ceiling: float = 1.0) -> np.ndarray:
    """Rows of f ** (1 / temperature), each normalised to sum to 1 (zeros stay zero); a row's
    largest value is then cut to `ceiling` (at least 1/2) and the rest shared among the others in
    proportion (equally where they were all 0)."""
    if temperature != 1.0:
        with np.errstate(divide="ignore"):
            f = np.exp(sharpen_log(np.log(f), temperature))
    top = f.max(axis=1, keepdims=True) if f.size else f
    over = (top > ceiling).ravel()
    if ceiling >= 1.0 or not over.any() or f.shape[1] < 2:
        return f
    f = f.copy()
    rows, first = np.flatnonzero(over), f[over].argmax(axis=1)
    rest = 1.0 - top[over]
    others = f[over]
    others[np.arange(len(rows)), first] = 0.0
    share = np.where(rest > 1e-12, others / np.maximum(rest, 1e-12), 1.0 / (f.shape[1] - 1))
    share[np.arange(len(rows)), first] = 0.0
    others = share * (1.0 - ceiling)
    others[np.arange(len(rows)), first] = ceiling
    f[rows] = others
    return f
