"""What the training data alone explains: trivial baselines and train/test overlap.

A model score means little without the score of a majority guess and of a bag-of-n-grams
classifier on the same split, and nothing at all if test texts also sit in the training data.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

SEP = " [SEP] "
SHINGLE = 5  # characters per shingle for near-duplicate detection
MAX_EXAMPLES = 10
N_PERM, BANDS = 128, 32  # MinHash size and LSH bands (4 rows each)
_PRIME = (1 << 31) - 1  # hash modulus: a·id stays below 2**62, no int64 overflow


def pair_texts(targets: Sequence[str], texts: Sequence[str]) -> list[str]:
    """Stance inputs for text baselines: the target, a separator, then the text."""
    return [f"{t}{SEP}{x}" for t, x in zip(targets, texts, strict=True)]


def majority_label(train_labels: Sequence[str], labels: Sequence[str] = ()) -> str:
    """Most frequent training label; ties go to the earlier label in ``labels``, then by name."""
    if not train_labels:
        raise ValueError("majority baseline needs training labels")
    counts = Counter(train_labels)
    order = {lab: i for i, lab in enumerate(labels)}
    return min(counts, key=lambda lab: (-counts[lab], order.get(lab, len(order)), lab))


def tfidf_lr_model() -> Any:
    """Word 1-2 grams + char 2-5 grams (sublinear TF-IDF), balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    return make_pipeline(features, LogisticRegression(class_weight="balanced", max_iter=2000))


def tfidf_lr_predict(
    train_texts: Sequence[str], train_labels: Sequence[str], test_texts: Sequence[str]
) -> list[str]:
    """The TF-IDF + LR baseline's labels for ``test_texts``."""
    if len(set(train_labels)) < 2:
        return [majority_label(train_labels)] * len(test_texts)
    model = tfidf_lr_model()
    model.fit(list(train_texts), list(train_labels))
    return [str(x) for x in model.predict(list(test_texts))]


def fit_predict_baselines(
    train_texts: Sequence[str],
    train_labels: Sequence[str],
    test_texts: Sequence[str],
    labels: Sequence[str],
) -> dict[str, list[str]]:
    """Predictions of every text baseline on ``test_texts`` (pass stance pairs via pair_texts)."""
    majority = majority_label(train_labels, labels)
    return {
        "majority": [majority] * len(test_texts),
        "tfidf_lr": tfidf_lr_predict(train_texts, train_labels, test_texts),
    }


def _token_features(tokens: Sequence[str], i: int) -> dict[str, Any]:
    word = tokens[i]
    prev = tokens[i - 1].lower() if i > 0 else "<s>"
    nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else "</s>"
    return {
        "w=" + word.lower(): 1,
        "suf=" + word[-3:].lower(): 1,
        "prev=" + prev: 1,
        "next=" + nxt: 1,
        "title": float(word[:1].isupper()),
        "punct": float(not word.isalnum()),
        "pos=" + str(min(9, 10 * i // max(len(tokens), 1))): 1,  # essays: place in paragraph
    }


def token_lr_predict(
    train_tokens: Sequence[Sequence[str]],
    train_tags: Sequence[Sequence[str]],
    test_tokens: Sequence[Sequence[str]],
) -> list[list[str]]:
    """Per-token logistic regression on word-window features: the span task's text baseline."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats = [_token_features(doc, i) for doc in train_tokens for i in range(len(doc))]
    y = [tag for tags in train_tags for tag in tags]
    if len(set(y)) < 2:
        tag = majority_label(y) if y else "O"
        return [[tag] * len(doc) for doc in test_tokens]
    vec = DictVectorizer()
    model = LogisticRegression(class_weight="balanced", max_iter=500)
    model.fit(vec.fit_transform(feats), y)
    out: list[list[str]] = []
    for doc in test_tokens:
        if not doc:
            out.append([])
            continue
        x = vec.transform([_token_features(doc, i) for i in range(len(doc))])
        out.append([str(t) for t in model.predict(x)])
    return out


def normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def _shingles(text: str) -> set[str]:
    if len(text) <= SHINGLE:
        return {text} if text else set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def _signatures(sets: list[set[str]], vocab: dict[str, int]) -> np.ndarray:
    """MinHash signatures (n, N_PERM): min of universal hashes (a·id + b) mod p per set."""
    rng = np.random.default_rng(0)
    a = rng.integers(1, _PRIME, size=(N_PERM, 1), dtype=np.int64)
    b = rng.integers(0, _PRIME, size=(N_PERM, 1), dtype=np.int64)
    out = np.full((len(sets), N_PERM), _PRIME, dtype=np.int64)
    for i, shingles in enumerate(sets):
        if shingles:
            ids = np.fromiter((vocab.setdefault(sh, len(vocab)) for sh in shingles), np.int64)
            out[i] = ((a * ids[None, :] + b) % _PRIME).min(axis=1)
    return out


def _band_keys(signature: np.ndarray) -> list[tuple[int, bytes]]:
    rows = N_PERM // BANDS
    return [(k, signature[k * rows : (k + 1) * rows].tobytes()) for k in range(BANDS)]


def _best_near(
    probe: set[str],
    candidates: set[int],
    train_sets: list[set[str]],
    threshold: float,
) -> tuple[int, float]:
    """Closest candidate (index, exact Jaccard) at or above ``threshold``, or (-1, 0.0)."""
    best, best_j = -1, 0.0
    for j in sorted(candidates):
        other = train_sets[j]
        inter = len(probe & other)
        jac = inter / (len(probe) + len(other) - inter)
        if jac >= threshold and jac > best_j:
            best, best_j = j, jac
    return best, best_j


def _near_duplicates(
    train_sets: list[set[str]], test_sets: list[set[str]], threshold: float
) -> list[tuple[int, float]]:
    """For each test set, its best training match by MinHash LSH, verified exactly.

    32 bands of 4 hashes: a pair at Jaccard 0.8 becomes a candidate with probability
    1 - (1 - 0.8**4)**32 > 0.99999995, while unrelated texts rarely do, so 5k × 1k takes
    about a second instead of five million set intersections.
    """
    vocab: dict[str, int] = {}
    index: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for j, sig in enumerate(_signatures(train_sets, vocab)):
        if train_sets[j]:
            for key in _band_keys(sig):
                index[key].append(j)
    out = []
    for i, sig in enumerate(_signatures(test_sets, vocab)):
        found = {j for key in _band_keys(sig) for j in index.get(key, ())}
        out.append(_best_near(test_sets[i], found, train_sets, threshold) if found else (-1, 0.0))
    return out


def overlap_report(
    train_texts: Sequence[str], test_texts: Sequence[str], threshold: float = 0.8
) -> dict[str, Any]:
    """Test texts found in the training data: exact (case/space-normalised) or near duplicates.

    Near = Jaccard >= ``threshold`` on character 5-gram sets (MinHash LSH candidates, then the
    exact Jaccard). Each test text is counted once, as exact when it is both.
    """
    train_norm = [normalise_text(t) for t in train_texts]
    test_norm = [normalise_text(t) for t in test_texts]
    first_seen = {t: i for i, t in reversed(list(enumerate(train_norm)))}
    train_sets = [_shingles(t) for t in train_norm]
    test_sets = [_shingles(t) for t in test_norm]
    near_dups = _near_duplicates(train_sets, test_sets, threshold)
    exact, near = 0, 0
    examples: list[dict[str, Any]] = []
    for i, norm in enumerate(test_norm):
        kind, j, jac = "exact", first_seen.get(norm, -1), 1.0
        if j < 0:
            kind, (j, jac) = "near", near_dups[i]
        if j < 0:
            continue
        exact, near = exact + (kind == "exact"), near + (kind == "near")
        if len(examples) < MAX_EXAMPLES:
            ex = {"kind": kind, "test_index": i, "train_index": j, "jaccard": round(jac, 4)}
            examples.append(
                {**ex, "test_text": test_texts[i][:200], "train_text": train_texts[j][:200]}
            )
    return {"exact": exact, "near": near, "n_test": len(test_texts), "examples": examples}
