"""Proposed clusters of similar ideas (no database, no Flask): average-linkage clustering on the
character n-grams of the suggestions' text features (`app.services.sorting.text_features`)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering

from app.services.sorting.text_features import features, neighbours


def clusters(texts: Sequence[str], min_size: int = 2, max_clusters: int = 50,
             distance_threshold: float = 0.6) -> list[tuple[list[int], str]]:
    """Groups of similar texts, each with a suggested label: [(indices, label), ...], biggest first.

    Average-linkage agglomerative clustering on cosine distances of the character n-grams of
    `rank`'s features: a group holds together while the mean distance between its members is at
    most `distance_threshold` (0 = identical texts, 1 = nothing in common). (The word prefixes
    make ideas of one topic look alike, which the suggestions want and a cluster of ideas that
    say the same does not: with them, fewer pairs in a proposed cluster shared their field.)
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
    words, x = features(texts)
    if x.shape[1] == 0:
        return []
    # Candidate links: each text to its nearest neighbours by words (fast), kept when close
    # enough on all features. A group of mean distance <= threshold always holds such a link.
    near = neighbours(words if words.shape[1] else x).tocoo()
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
