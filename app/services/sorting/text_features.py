"""Text features shared by the suggestions and the clusters of ideas (no database, no Flask).

Ideas are short, noisy and in any language, so two kinds of features go side by side: TF-IDF of
words of 3 or more letters cut to their first 6 characters (a crude stemmer that works for inflected
languages such as Polish or German without a dictionary) and TF-IDF of character 2-4-grams within
words (compounds, typos; language-independent). A graph links each idea to its most similar ones.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn import config_context
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

PREFIX_LENGTH = 6  # words cut to this many characters: "Radwege", "Radwegen" -> "radweg"
N_NEIGHBORS = 15  # neighbours per idea in the similarity graph

_WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """Words of 3 or more letters, lower-cased, cut to a prefix (no numbers; short words such as
    "im", "na", "of" are mostly prepositions and stay in the character n-grams only)."""
    return [w[:PREFIX_LENGTH] for w in _WORD.findall(text.lower()) if len(w) > 2 and not w.isdigit()]


def tfidf(texts: Sequence[str], **options) -> sp.csr_matrix:
    """TF-IDF rows for `texts`; no columns at all when nothing is left to count (empty texts)."""
    min_df = options.pop("min_df", 1)
    if len(texts) < 50:
        min_df = 1  # tiny sets: a term seen once still counts
    try:
        return TfidfVectorizer(sublinear_tf=True, dtype=np.float64, min_df=min_df, **options).fit_transform(texts)
    except ValueError:  # empty vocabulary: texts with no letters
        return sp.csr_matrix((len(texts), 0))


def features(texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(word-prefix features, character n-gram features) of `texts`, rows L2-normalised."""
    words = tfidf(texts, analyzer=words_of)
    chars = tfidf(texts, analyzer="char_wb", ngram_range=(2, 4), min_df=2)
    return words, chars


def join(*blocks: sp.spmatrix) -> sp.csr_matrix:
    """Feature blocks side by side, each row L2-normalised again (so each block counts alike)."""
    x = sp.hstack(blocks, format="csr")
    return normalize(x) if x.shape[0] and x.shape[1] else x


def neighbours(x: sp.csr_matrix, n_neighbors: int | None = None) -> sp.csr_matrix:
    """Cosine distance from each row to its `n_neighbors` (N_NEIGHBORS) nearest other rows (sparse, exact)."""
    n = x.shape[0]
    n_neighbors = n_neighbors or N_NEIGHBORS
    nn = NearestNeighbors(n_neighbors=min(n_neighbors, n - 1), metric="cosine", algorithm="brute").fit(x)
    # Distances are computed in blocks of rows; small blocks (64 MiB instead of 1 GiB) spare
    # allocating a 5,000 x 5,000 matrix at once, several times faster on a fresh process.
    with config_context(working_memory=64):
        return nn.kneighbors_graph(mode="distance")  # without each row itself


def graph(x: sp.csr_matrix, n_neighbors: int | None = None) -> sp.csr_matrix:
    """Symmetric k-nearest-neighbour graph (cosine similarity weights), normalised D^-1/2 W D^-1/2."""
    n = x.shape[0]
    if n < 2 or x.shape[1] == 0:
        return sp.csr_matrix((n, n))
    w = neighbours(x, n_neighbors)
    w.data = 1.0 - w.data
    w.data[w.data < 1e-9] = 0.0  # no edge between ideas that share nothing
    w.eliminate_zeros()
    w = w.maximum(w.T).tocsr()
    degree = np.asarray(w.sum(axis=1)).ravel()
    scale = sp.diags(np.divide(1.0, np.sqrt(degree), out=np.zeros(n), where=degree > 0))
    return (scale @ w @ scale).tocsr()
