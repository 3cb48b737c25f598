"""Suggesting action fields for ideas, and grouping similar ideas: the pure model (no database).

Plain lists in, plain lists out, so the service that reads ideas and action fields from the database
stays thin and this module can be measured on its own (`bench/clustering.py`). Only numpy, scipy
and scikit-learn; no Flask.

    rank(texts, labelled, seeds=None) -> for every text, [(action field, confidence), ...] best first
    clusters(texts) -> [([indices of similar texts], suggested label), ...] biggest first
    seed_texts(name, description, keywords) -> the cold-start texts of one action field

How `rank` works (ideas are short, noisy and in any language, and an organiser sorts only a few):

1. Text features fitted on *all* ideas (the app knows every idea, sorted or not): TF-IDF of words
   of 3 or more letters cut to their first 6 characters (a crude stemmer that works for inflected
   languages such as Polish or German without a dictionary) plus TF-IDF of character 2-4-grams
   within words (catches compounds and typos; language-independent).
2. A graph linking every idea to its 15 most similar ideas (cosine similarity of the word
   features), symmetric and normalised as in label spreading (Zhou et al. 2004).
3. A logistic regression trained on the sorted ideas (and on the action fields' seed texts, when
   given), reading each idea's words together with its neighbours' words (one step of graph
   smoothing, so the few sorted ideas teach about the words of their neighbours too).
4. Label spreading over the graph, started from the classifier's probabilities for the unsorted
   ideas and from the organiser's choice for the sorted ones: an idea's suggestion is pulled
   towards the suggestions of similar ideas, by a share that grows with the event (`_alpha`: 0.5
   up to 100 ideas, 0.95 from 3,000, linear in log ideas between). In a big event an idea's 15
   neighbours are a small, topical part of it; in one of 60 they are a quarter of the event and
   mostly unrelated, the spread reaches every idea within two steps, and a pull of 0.95 made every
   suggestion the event's overall mix (the demo's 30 unsorted ideas got 0.26-0.29 for each of 4
   fields, the order decided by the next step rather than by the idea).
5. Class mass normalisation (Zhu et al. 2003): the total weight of each action field over all ideas
   is rescaled to a prior estimated from the organiser's sortings, shrunk towards equal shares and
   capped at the average field's (`_prior`), so fields with few or vaguely worded ideas are not
   swallowed by the big ones, and a field with nothing sorted yet is not pushed onto the ideas.
6. A temperature for the confidences (p ** (1 / T), renormalised), fitted by cross-validation on
   the sorted ideas (`_temperature`): spreading averages an idea with its neighbours and leaves the
   confidences flatter than the share of right suggestions. T stays between 1/3 and 2 (organisers
   sort the clearest ideas first, so the sorted ones overstate how sure the model can be) and
   moves towards 1 by the share of fields with no sorted idea (mistakes about those are invisible).

With no sorted idea at all (cold start), the classifier is replaced by the similarity of each idea
to each action field's closest seed text (its name, description or one keyword, in any languages),
then spread over the graph with an idea's own match weighing as much as its neighbours' (a keyword
in the idea itself is the strongest evidence there is). Confidences are then scaled by how strong
the best match is, so an idea that matches no field gets low confidences everywhere (they sum to
less than 1). Once some ideas are sorted, the seed texts stay in as extra training examples, and
their direct match is blended into the classifier's guesses with a weight that fades as the
organiser sorts more, from as much as 40 sorted ideas per field when the seed texts' best match
agrees with every sorting down to nothing when it agrees no better than chance (`_seed_trust`):
keywords written for the event keep a say, names in another language than the ideas drop out.

Measured with `bench/clustering.py` on 3,299 Warsaw ideas in 8 categories (protocol of
shared/data/README.md): balanced accuracy / top-2 0.49 / 0.69 with 5 sorted ideas per category and
0.63 / 0.80 with 20, against 0.37 / 0.55 and 0.56 / 0.72 for the reference (TF-IDF character
n-grams + logistic regression); about 1 s for 5,000 ideas on two cores. (A logistic regression
on these features trained on 4/5 of *all* labels, 5-fold cross-validated, reaches only 0.65-0.67:
the titles hold little more.) Small events, 20 random draws of 60 or 150 of those ideas with the
first 1/4 or 1/2 sorted: balanced accuracy 0.26 / 0.32 (60 ideas, 1/4 / 1/2 sorted) and
0.37 / 0.42 (150), against 0.18 / 0.23 and 0.27 / 0.35 for the reference and 0.20 / 0.29 and
0.29 / 0.36 with the spread and prior made for thousands of ideas; the first suggestion's mean
confidence 0.34-0.49 (chance 0.125), about the share of right first suggestions (0.31-0.47),
where it was 0.21-0.25 before. In the demo (60 ideas, 30 sorted) 16 of the 21 unsorted ideas with
one plainly right field get it (11 before), with confidences of 0.32-0.85 instead of 0.26-0.29.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn import config_context
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

Ranking = list[tuple[str, float]]

PREFIX_LENGTH = 6  # words cut to this many characters: "Radwege", "Radwegen" -> "radweg"
N_NEIGHBORS = 15  # neighbours per idea in the similarity graph
# Label spreading: share of an idea's suggestion that comes from its neighbours, from ALPHA_SMALL
# for SMALL_EVENT ideas or fewer to ALPHA_LARGE for LARGE_EVENT or more, linear in log(ideas).
ALPHA_SMALL, ALPHA_LARGE = 0.5, 0.95
SMALL_EVENT, LARGE_EVENT = 100, 3000
SPREAD_STEPS = 30  # iterations of label spreading (enough for the order of the suggestions to settle)
CLASSIFIER_C = 10.0  # inverse regularisation of the logistic regression
SEED_WEIGHT = 1.0  # weight of one seed text against one sorted idea when training the classifier
SEED_PRIOR = 40.0  # seed texts that agree with every sorting weigh as much as this many sorted ideas per field
CALIBRATION_FOLDS = 4  # the confidences' temperature is fitted by this many-fold cross-validation ...
CALIBRATION_MIN, CALIBRATION_MAX = 10, 200  # ... on at least / at most this many sorted ideas
CALIBRATION_TOL = 1e-3  # the folds' classifiers stop earlier (1e-4 otherwise): only one number comes of them
# Candidate temperatures: confidences from the cube of the spread ones to their square root.
# Never sharper than that: organisers sort the clearest ideas first, so the sorted ones overstate
# how sure the model can be about the rest (the demo's sorted ideas alone would ask for T = 0.1).
TEMPERATURES = np.geomspace(1 / 3, 2.0, 17)
COLD_START_ALPHA = 0.5  # cold start: an idea's own match to the seed texts counts as much as its neighbours
COLD_START_NONE = 0.15  # cold start: weight of "no field fits" against the similarity of the best match

_WORD = re.compile(r"\w+")


def seed_texts(name: str = "", description: str = "", keywords: Iterable[str] | str = ()) -> list[str]:
    """The cold-start texts of one action field: its name, its description and each keyword.

    Keywords may be a list or one string separated by commas, semicolons or new lines; give them
    in every language the ideas may come in. Separate texts let a short idea match one keyword
    strongly instead of matching a long joined text weakly.
    """
    if isinstance(keywords, str):
        keywords = re.split(r"[,;\n]", keywords)
    parts = [name, description, *keywords]
    return [p.strip() for p in parts if p and p.strip()]


def _words(text: str) -> list[str]:
    """Words of 3 or more letters, lower-cased, cut to a prefix (no numbers; short words such as
    "im", "na", "of" are mostly prepositions and stay in the character n-grams only)."""
    return [w[:PREFIX_LENGTH] for w in _WORD.findall(text.lower()) if len(w) > 2 and not w.isdigit()]


def _tfidf(texts: Sequence[str], **options) -> sp.csr_matrix:
    """TF-IDF rows for `texts`; no columns at all when nothing is left to count (empty texts)."""
    min_df = options.pop("min_df", 1)
    if len(texts) < 50:
        min_df = 1  # tiny sets: a term seen once still counts
    try:
        return TfidfVectorizer(sublinear_tf=True, dtype=np.float64, min_df=min_df, **options).fit_transform(texts)
    except ValueError:  # empty vocabulary: texts with no letters
        return sp.csr_matrix((len(texts), 0))


def _features(texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(word-prefix features, character n-gram features) of `texts`, rows L2-normalised."""
    words = _tfidf(texts, analyzer=_words)
    chars = _tfidf(texts, analyzer="char_wb", ngram_range=(2, 4), min_df=2)
    return words, chars


def _join(*blocks: sp.spmatrix) -> sp.csr_matrix:
    """Feature blocks side by side, each row L2-normalised again (so each block counts alike)."""
    x = sp.hstack(blocks, format="csr")
    return normalize(x) if x.shape[0] and x.shape[1] else x


def _neighbours(x: sp.csr_matrix, n_neighbors: int = N_NEIGHBORS) -> sp.csr_matrix:
    """Cosine distance from each row to its `n_neighbors` nearest other rows (sparse, exact)."""
    n = x.shape[0]
    nn = NearestNeighbors(n_neighbors=min(n_neighbors, n - 1), metric="cosine", algorithm="brute").fit(x)
    # Distances are computed in blocks of rows; small blocks (64 MiB instead of 1 GiB) spare
    # allocating a 5,000 x 5,000 matrix at once, several times faster on a fresh process.
    with config_context(working_memory=64):
        return nn.kneighbors_graph(mode="distance")  # without each row itself


def _graph(x: sp.csr_matrix, n_neighbors: int = N_NEIGHBORS) -> sp.csr_matrix:
    """Symmetric k-nearest-neighbour graph (cosine similarity weights), normalised D^-1/2 W D^-1/2."""
    n = x.shape[0]
    if n < 2 or x.shape[1] == 0:
        return sp.csr_matrix((n, n))
    w = _neighbours(x, n_neighbors)
    w.data = 1.0 - w.data
    w.data[w.data < 1e-9] = 0.0  # no edge between ideas that share nothing
    w.eliminate_zeros()
    w = w.maximum(w.T).tocsr()
    degree = np.asarray(w.sum(axis=1)).ravel()
    scale = sp.diags(np.divide(1.0, np.sqrt(degree), out=np.zeros(n), where=degree > 0))
    return (scale @ w @ scale).tocsr()


def _alpha(n: int) -> float:
    """Share of an idea's suggestion that comes from its neighbours, for an event of `n` ideas.

    Spreading pays off in a big event, where an idea's 15 neighbours are a tiny, topical part of it
    and suggestions travel along chains of similar ideas. In a small one the neighbours are a
    quarter of the event and mostly share little with the idea: the spread reaches every idea in
    two steps, and a strong pull makes each suggestion the event's overall mix (near-uniform).
    """
    t = np.log(max(n, SMALL_EVENT) / SMALL_EVENT) / np.log(LARGE_EVENT / SMALL_EVENT)
    return float(ALPHA_SMALL + (ALPHA_LARGE - ALPHA_SMALL) * min(t, 1.0))


def _spread(s: sp.csr_matrix, y0: np.ndarray, alpha: float = ALPHA_LARGE, steps: int = SPREAD_STEPS) -> np.ndarray:
    """Label spreading from the start distribution `y0`: F <- alpha S F + (1 - alpha) y0."""
    f = y0
    for _ in range(steps):
        f = alpha * (s @ f) + (1.0 - alpha) * y0
    return np.maximum(f, 0.0)


def _class_mass_normalise(f: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Rescale each column so the columns' totals are proportional to `prior`, then each row to
    sum to 1 (equal shares where a row is all 0)."""
    mass = f.sum(axis=0)
    f = f * np.divide(prior, mass, out=np.zeros_like(prior), where=mass > 0)
    total = f.sum(axis=1, keepdims=True)
    return np.divide(f, total, out=np.full_like(f, 1.0 / f.shape[1]), where=total > 0)


def _prior(counts: np.ndarray) -> np.ndarray:
    """Share of each field among the sorted ideas, shrunk towards equal shares by one average field,
    and no field counting more sorted ideas than the average one.

    The cap: where the spread is strong, its common part already leans towards the fields with
    the most sortings (their sorted ideas start it), and a prior that leans the same way too
    makes every idea's first suggestion a big field. A field with fewer sortings than the average
    still gets a smaller share, so one with none yet is not pushed onto the ideas.
    """
    average = max(counts.mean(), 1.0)
    smoothed = np.minimum(counts, average) + average
    return smoothed / smoothed.sum()


def _seed_trust(match: np.ndarray, target: np.ndarray, sorted_per_field: float) -> float:
    """Weight of the seed texts' direct match against the classifier, from the sorted ideas.

    The seed texts count as SEED_PRIOR sorted ideas per field, times how much better than chance
    their best match agreed with the organiser's sortings (`match`: sorted ideas x fields,
    `target`: the column of each one's field; one agreeing pseudo-sorting keeps a handful of
    sortings from deciding alone). Keywords written for the ideas at hand keep a say; names that
    hardly match (another language, vague words) fade as soon as a few ideas are sorted.
    """
    chance = 1.0 / match.shape[1]
    agreement = (np.sum(match.argmax(axis=1) == target) + 1.0) / (len(target) + 1.0)
    reliability = max(0.0, (agreement - chance) / (1.0 - chance))
    return reliability * SEED_PRIOR / (SEED_PRIOR + sorted_per_field)


def _temperature(suggest: Callable[[list[int], float], np.ndarray], rows: list[int], target: Mapping[int, int],
                 seeded: set[int], n_fields: int) -> float:
    """Temperature that makes the confidences fit the organiser's own sortings.

    Cross-validation on the sorted ideas (at most CALIBRATION_MAX, evenly spread; folds every
    CALIBRATION_FOLDS-th): each fold is suggested by a model that does not know it, and the
    temperature T minimising the folds' log loss of confidences p ** (1 / T) is chosen. Label
    spreading averages an idea with its neighbours and so understates how sure it is where the
    fields are clear; where they are not, the loss keeps the confidences low. Ideas whose field no
    other sorted idea or seed text shows are left out (no temperature can help them).
    """
    if len(rows) < CALIBRATION_MIN:
        return 1.0
    pool = rows[::math.ceil(len(rows) / CALIBRATION_MAX)]
    held, truth = [], []
    for k in range(CALIBRATION_FOLDS):
        fold = pool[k::CALIBRATION_FOLDS]
        train = [i for j, i in enumerate(pool) if j % CALIBRATION_FOLDS != k]
        taught = {target[i] for i in train} | seeded
        fold = [i for i in fold if target[i] in taught]
        if fold and len(taught) > 1:
            held.append(suggest(train, CALIBRATION_TOL)[fold])
            truth += [target[i] for i in fold]
    if not truth:
        return 1.0
    log_p = np.log(np.maximum(np.vstack(held), 1e-9))
    losses = [-np.mean(np.take_along_axis(_sharpen_log(log_p, t), np.array(truth)[:, None], axis=1))
              for t in TEMPERATURES]
    # Mistakes about a field with no sorted idea yet are invisible here: move towards 1 by their share.
    covered = len(set(target.values())) / n_fields
    return float(TEMPERATURES[int(np.argmin(losses))]) ** covered


def _sharpen_log(log_p: np.ndarray, temperature: float) -> np.ndarray:
    """Log of the rows of exp(log_p / temperature), each normalised to sum to 1."""
    z = log_p / temperature
    z -= z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _sharpen(f: np.ndarray, temperature: float) -> np.ndarray:
    """Rows of f ** (1 / temperature), each normalised to sum to 1 (zeros stay zero)."""
    if temperature == 1.0:
        return f
    with np.errstate(divide="ignore"):
        return np.exp(_sharpen_log(np.log(f), temperature))


def _seed_items(seeds: Mapping[str, str | Sequence[str]] | None) -> list[tuple[str, str]]:
    items = []
    for category, value in (seeds or {}).items():
        for text in [value] if isinstance(value, str) else value:
            if text and text.strip():
                items.append((category, text))
    return items


def _as_rankings(f: np.ndarray, classes: list[str]) -> list[Ranking]:
    order = np.argsort(-f, axis=1, kind="stable")
    return [[(classes[j], float(row[j])) for j in idx] for row, idx in zip(f, order)]


def rank(texts: Sequence[str], labelled: Mapping[int, str], seeds: Mapping[str, str | Sequence[str]] | None = None,
         random_state: int = 0) -> list[Ranking]:
    """For every text, all known action fields ranked best first, each with a confidence.

    texts: all ideas of the process (sorted and unsorted); labelled: index in `texts` -> the action
    field the organiser sorted that idea into; seeds: action field -> its cold-start text, or a list
    of them (see `seed_texts`: name, description, keywords, in any languages). The fields ranked
    are those in `labelled` and those in `seeds` with some text; indices outside `texts` are
    ignored. Confidences are between 0 and 1 and sum to at most 1 per text (to exactly 1 once
    ideas are sorted; less in cold start when an idea matches no field well). `random_state` is
    accepted for a stable API; the model is deterministic.

    Returns one list per text (empty when no field is known), in the order of `texts`.
    """
    del random_state  # deterministic: Newton-CG logistic regression, exact neighbours
    texts = [t or "" for t in texts]
    n = len(texts)
    seed_items = _seed_items(seeds)
    labelled = {i: c for i, c in labelled.items() if 0 <= i < n}
    classes = sorted(set(labelled.values()) | {c for c, _ in seed_items})
    if n == 0 or not classes:
        return [[] for _ in texts]
    if len(classes) == 1 and labelled:
        return [[(classes[0], 1.0)] for _ in texts]  # nothing to choose between
    column = {c: j for j, c in enumerate(classes)}

    # Features are fitted on the ideas and the seed texts together, so a keyword's n-grams count.
    words, chars = _features(texts + [t for _, t in seed_items])
    s = _graph(words[:n])
    x = _join(words[:n], chars[:n])
    x_seeds = _join(words[n:], chars[n:])

    if not labelled:
        return _as_rankings(_cold_start(x, x_seeds, seed_items, s, classes), classes)

    # Each idea's words read together with its neighbours' words (sparse enough to stay fast
    # with thousands of sorted ideas; smoothing the n-grams too gains nothing).
    smoothed = _join(_join(words[:n] + s @ words[:n]), chars[:n])
    match = _seed_match(x, x_seeds, seed_items, classes) if seed_items else None
    target = {i: column[c] for i, c in labelled.items()}
    alpha = _alpha(n)

    def suggest(train: list[int], tol: float = 1e-4) -> np.ndarray:
        """Confidences for every idea (rows sum to 1), learnt from the sorted ideas `train` only."""
        labels = [classes[target[i]] for i in train] + [c for c, _ in seed_items]
        weight = np.r_[np.ones(len(train)), np.full(len(seed_items), SEED_WEIGHT)]
        # Newton-CG: few sorted ideas and many features, where it converges in a few steps (lbfgs
        # reaches the same model several times slower).
        model = LogisticRegression(C=CLASSIFIER_C, solver="newton-cg", max_iter=1000, tol=tol)
        model.fit(sp.vstack([smoothed[train], x_seeds], format="csr"), labels, sample_weight=weight)
        y0 = np.zeros((n, len(classes)))
        y0[:, [column[c] for c in model.classes_]] = model.predict_proba(smoothed)
        if match is not None:
            # The seed texts' direct match still counts, as far as it agreed with the organiser.
            total = match.sum(axis=1, keepdims=True)
            share = np.divide(match, total, out=y0.copy(), where=total > 0)
            trust = _seed_trust(match[train], np.array([target[i] for i in train]), len(train) / len(classes))
            y0 = (1.0 - trust) * y0 + trust * share
        y0[train] = 0.0
        y0[train, [target[i] for i in train]] = 1.0
        counts = np.bincount([target[i] for i in train], minlength=len(classes)).astype(float)
        return _class_mass_normalise(_spread(s, y0, alpha), _prior(counts))

    rows = sorted(labelled)
    temperature = _temperature(suggest, rows, target, {column[c] for c, _ in seed_items}, len(classes))
    return _as_rankings(_sharpen(suggest(rows), temperature), classes)


def _seed_match(x: sp.csr_matrix, x_seeds: sp.csr_matrix, seed_items: list[tuple[str, str]],
                classes: list[str]) -> np.ndarray:
    """Cosine similarity of each idea to each field's closest seed text (ideas x fields)."""
    sim = (x @ x_seeds.T).toarray()
    match = np.zeros((x.shape[0], len(classes)))
    column = {c: j for j, c in enumerate(classes)}
    for k, (category, _) in enumerate(seed_items):
        j = column[category]
        np.maximum(match[:, j], sim[:, k], out=match[:, j])
    return match


def _cold_start(x: sp.csr_matrix, x_seeds: sp.csr_matrix, seed_items: list[tuple[str, str]], s: sp.csr_matrix,
                classes: list[str]) -> np.ndarray:
    """Confidences from the similarity of each idea to each field's closest seed text, spread."""
    f = _spread(s, _seed_match(x, x_seeds, seed_items, classes), COLD_START_ALPHA)
    best = f.max(axis=1, keepdims=True)
    total = f.sum(axis=1, keepdims=True)
    # Shares of the fields, scaled down when even the best match is weak.
    share = np.divide(f, total, out=np.zeros_like(f), where=total > 0)
    return share * best / (best + COLD_START_NONE)


def clusters(texts: Sequence[str], min_size: int = 2, max_clusters: int = 50,
             distance_threshold: float = 0.6) -> list[tuple[list[int], str]]:
    """Groups of similar texts, each with a suggested label: [(indices, label), ...], biggest first.

    Average-linkage agglomerative clustering on cosine distances of the same word-prefix and
    character n-gram features as `rank`: a group holds together while the mean distance between
    its members is at most `distance_threshold` (0 = identical texts, 1 = nothing in common).
    Only texts linked through their nearest neighbours are compared with each other, so a few
    thousand ideas take a second or two. The label is the group's most central text, shortened.
    Texts in no group of `min_size` or more are left out; at most `max_clusters` groups are
    returned, the biggest (then the tightest) first; indices ascending within a group.
    """
    texts = [t or "" for t in texts]
    n = len(texts)
    min_size = max(min_size, 2)
    if n < min_size:
        return []
    words, chars = _features(texts)
    x = _join(words, chars)
    if x.shape[1] == 0:
        return []
    # Candidate links: each text to its nearest neighbours by words (fast), kept when close
    # enough on all features. A group of mean distance <= threshold always holds such a link.
    near = _neighbours(words if words.shape[1] else x).tocoo()
    a, b = near.row, near.col
    d = 1.0 - np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()  # rows are L2-normalised
    close = d <= distance_threshold
    edges = (a[close], b[close], d[close])

    groups, pairs = [], []
    for members in _linked(n, edges, np.arange(n), distance_threshold, min_size):
        if len(members) == 2:
            pairs.append(members)
            continue
        rows = x[members]
        distances = np.clip(1.0 - (rows @ rows.T).toarray(), 0.0, 2.0)
        np.fill_diagonal(distances, 0.0)
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=distance_threshold).fit_predict(distances)
        for label in np.unique(labels):
            inside = np.flatnonzero(labels == label)
            if len(inside) >= min_size:
                groups.append((members[inside], distances[np.ix_(inside, inside)].mean(axis=1)))
    if pairs:  # linked pairs: their one link is close enough; distances all at once
        pairs = np.array(pairs)
        d = 1.0 - np.asarray(x[pairs[:, 0]].multiply(x[pairs[:, 1]]).sum(axis=1)).ravel()
        groups += [(pair, np.array([dist / 2, dist / 2])) for pair, dist in zip(pairs, d)]
    groups.sort(key=lambda g: (-len(g[0]), float(g[1].mean()), int(g[0].min())))
    return [(sorted(int(i) for i in idx), _shorten(texts[idx[int(np.argmin(spread))]]))
            for idx, spread in groups[:max_clusters]]


MAX_LINKED = 1500  # bigger sets of linked texts are split with a stricter threshold first


def _linked(n: int, edges: tuple[np.ndarray, np.ndarray, np.ndarray], members: np.ndarray, threshold: float,
            min_size: int) -> list[np.ndarray]:
    """Sets of at least `min_size` of `members` joined by links (a, b, distance) of at most `threshold`.

    A set too big to compare all its pairs is split by a stricter threshold (rare: only texts
    that chain into one another across a whole process).
    """
    a, b, d = edges
    inside = np.zeros(n, dtype=bool)
    inside[members] = True
    keep = inside[a] & inside[b] & (d <= threshold)
    graph = sp.coo_matrix((np.ones(int(keep.sum())), (a[keep], b[keep])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    component = component[members]
    order = np.argsort(component, kind="stable")
    found = []
    for part in np.split(members[order], np.flatnonzero(np.diff(component[order])) + 1):
        if len(part) < min_size:
            continue
        if len(part) > MAX_LINKED and threshold > 0.05:
            found += _linked(n, edges, part, threshold * 0.8, min_size)
        else:
            found.append(part)
    return found


def _shorten(text: str, limit: int = 60) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters (plus "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return (cut or text[:limit]) + "…"
