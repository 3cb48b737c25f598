"""Text features shared by the suggestions and the clusters of ideas (no database, no Flask).

Ideas are short, noisy and in any language, so two kinds of features go side by side: TF-IDF of
the prefixes of words (`prefixes`: a stemmer without a dictionary or a language, for inflected
languages such as Polish or German) and TF-IDF of character 2-4-grams within words (compounds,
typos; language-independent). A graph links each idea to its most similar ones.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn import config_context
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

SHORTEST_WORD = 3  # shorter words ("im", "na", "of": mostly prepositions) are left to the character n-grams
PREFIX_MIN = 3  # a word's prefixes start at this length (a shorter word counts as itself)
PREFIX_HALF_LIFE = 4.0  # a word's prefix weighs half as much for every this many letters beyond PREFIX_MIN
N_NEIGHBORS = 15  # neighbours per idea in the similarity graph

_WORD = re.compile(r"\w+")


def prefixes(texts: Sequence[str]) -> sp.csr_matrix:
    """TF-IDF of every prefix of every word, from PREFIX_MIN letters to the whole word, each weighing
    less the longer it is (halved every PREFIX_HALF_LIFE letters); rows L2-normalised.

    "Radweg", "Radwege" and "Radwegen" share their first six prefixes and differ only in the light
    last ones; "Rad" and "Radweg" share a little. A word cut to a fixed length (a crude stemmer)
    did as well at its best length but lost 0.02 balanced accuracy at half or 1.5 times it; the
    fading weights have no such edge. Numbers and words shorter than SHORTEST_WORD stay in the
    character n-grams only.
    """
    vocabulary: dict[str, int] = {}
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        weights: dict[int, float] = {}
        for word in _WORD.findall(text.lower()):
            if len(word) < SHORTEST_WORD or word.isdigit():
                continue
            for length in range(min(PREFIX_MIN, len(word)), len(word) + 1):
                column = vocabulary.setdefault(word[:length], len(vocabulary))
                weights[column] = weights.get(column, 0.0) + 0.5 ** ((length - PREFIX_MIN) / PREFIX_HALF_LIFE)
        rows += [row] * len(weights)
        columns += weights.keys()
        values += weights.values()
    x = sp.csr_matrix((values, (rows, columns)), shape=(len(texts), len(vocabulary)))
    if not vocabulary:
        return x
    # Smooth inverse document frequency, as TfidfVectorizer's default.
    documents = np.bincount(x.indices, minlength=len(vocabulary))
    return normalize(x @ sp.diags(np.log((1 + len(texts)) / (1 + documents)) + 1.0)).tocsr()


def features(texts: Sequence[str], grams: CharGrams | None = None) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(word-prefix features, character 2-4-gram features) of `texts`, rows L2-normalised; from
    `grams` where they were counted already (`CharGrams` of the same texts)."""
    words = prefixes(texts)
    grams = grams or CharGrams(texts, longest=4)
    return words, grams.tfidf(len(texts), 4, min_df=2 if len(texts) >= 50 else 1)


class CharGrams:
    """Character 2-5-grams within words, counted once for the suggestions' 2-4-grams (`features`)
    and the reference classifier's 2-5-grams, whose counting is most of the time either takes."""

    def __init__(self, texts: Sequence[str], longest: int = 5):
        try:
            vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=(2, longest), dtype=np.float64)
            self.counts = vectorizer.fit_transform(texts).tocsr()
            self.lengths = np.fromiter(map(len, vectorizer.get_feature_names_out()), dtype=int)
        except ValueError:  # no characters at all
            self.counts, self.lengths = sp.csr_matrix((len(texts), 0)), np.zeros(0, dtype=int)

    def tfidf(self, rows: int, longest: int, min_df: int = 1) -> sp.csr_matrix:
        """TF-IDF of the first `rows` texts over their n-grams of up to `longest` characters seen in
        at least `min_df` of them, as TfidfVectorizer(analyzer="char_wb", sublinear_tf=True) makes
        it (1 + log count, smooth idf, rows L2-normalised); no columns where none is left."""
        x = self.counts[:rows][:, np.flatnonzero(self.lengths <= longest)]
        documents = np.bincount(x.indices, minlength=x.shape[1])
        x = x[:, np.flatnonzero(documents >= max(min_df, 1))]
        if x.shape[1] == 0:
            return sp.csr_matrix((rows, 0))
        documents = np.bincount(x.indices, minlength=x.shape[1])
        x.data = 1.0 + np.log(x.data)
        return normalize(x @ sp.diags(np.log((1 + rows) / (1 + documents)) + 1.0)).tocsr()


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
