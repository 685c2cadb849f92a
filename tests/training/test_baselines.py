"""Majority and TF-IDF baselines, the token baseline, and train/test overlap detection."""

from __future__ import annotations

import random

import pytest

from stance.training import baselines

XS = ("favor", "against")


def test_majority_breaks_ties_by_label_order() -> None:
    assert baselines.majority_label(["a", "b", "b", "a"], ("b", "a")) == "b"
    assert baselines.majority_label(["a", "b", "b"], ("a", "b")) == "b"


def test_tfidf_baseline_learns_a_separable_toy_task() -> None:
    train = ["je suis pour", "tout à fait pour", "contre cela", "je suis contre"] * 5
    labels = ["favor", "favor", "against", "against"] * 5
    preds = baselines.fit_predict_baselines(train, labels, ["vraiment pour", "contre"], XS)
    assert preds["tfidf_lr"] == ["favor", "against"]
    assert preds["majority"] == ["favor", "favor"]
    assert baselines.pair_texts(["Q?"], ["oui"]) == ["Q? [SEP] oui"]


def test_token_baseline_predicts_one_tag_per_token() -> None:
    toks = [["je", "pense", "que", "oui", "."], ["car", "il", "pleut", "."]]
    tags = [["O", "O", "B-claim", "I-claim", "O"], ["B-premise", "I-premise", "I-premise", "O"]]
    out = baselines.token_lr_predict(toks * 3, tags * 3, [["car", "oui"], []])
    assert [len(x) for x in out] == [2, 0]


def _brute_force_near(train: list[str], test: list[str], t: float) -> int:
    sets = [baselines._shingles(baselines.normalise_text(x)) for x in train]
    exact = {baselines.normalise_text(x) for x in train}
    count = 0
    for x in test:
        norm = baselines.normalise_text(x)
        probe = baselines._shingles(norm)
        if norm not in exact and any(len(probe & s) / len(probe | s) >= t for s in sets):
            count += 1
    return count


def test_overlap_report_exact_and_near_duplicates() -> None:
    rng = random.Random(1)
    words = [f"mot{i}" for i in range(400)]
    train = [" ".join(rng.choice(words) for _ in range(25)) for _ in range(300)]
    test = [" ".join(rng.choice(words) for _ in range(25)) for _ in range(60)]
    test += ["  " + train[0].upper() + " ", train[1]]  # exact after case/space normalisation
    test += [train[2][:-4] + "zzzz", train[3][:-60] + "x" * 60]  # near (J~0.96) / far (J~0.6)
    rep = baselines.overlap_report(train, test)
    assert rep["exact"] == 2
    assert rep["near"] == 1 == _brute_force_near(train, test, 0.8)
    near = [e for e in rep["examples"] if e["kind"] == "near"][0]
    assert (near["test_index"], near["train_index"]) == (62, 2)
    assert 0.8 <= near["jaccard"] < 1


def test_overlap_report_is_fast_on_5k_by_1k() -> None:
    import time

    rng = random.Random(2)
    words = [f"w{i}" for i in range(5000)]
    train = [" ".join(rng.choice(words) for _ in range(30)) for _ in range(5000)]
    test = [" ".join(rng.choice(words) for _ in range(30)) for _ in range(1000)]
    start = time.perf_counter()
    rep = baselines.overlap_report(train, test)
    assert time.perf_counter() - start < 15  # ~2 s here; generous for shared CI machines
    assert rep["exact"] == rep["near"] == 0


def test_majority_needs_labels_and_breaks_remaining_ties_by_name() -> None:
    with pytest.raises(ValueError, match="training labels"):
        baselines.majority_label([])
    assert baselines.majority_label(["b", "a"]) == "a"  # no order given: by name


def test_tfidf_with_one_training_label_predicts_it() -> None:
    assert baselines.tfidf_lr_predict(["a", "b"], ["none", "none"], ["x", "y", "z"]) == ["none"] * 3


def test_token_baseline_learns_word_cues_and_handles_a_single_tag() -> None:
    toks = [["car", "il", "pleut"], ["il", "faut", "agir"]] * 4
    tags = [["B-premise", "I-premise", "I-premise"], ["B-claim", "I-claim", "I-claim"]] * 4
    (out,) = baselines.token_lr_predict(toks, tags, [["car", "il", "pleut"]])
    assert out == ["B-premise", "I-premise", "I-premise"]
    flat = baselines.token_lr_predict([["a", "b"]], [["O", "O"]], [["c"], []])
    assert flat == [["O"], []]


def test_overlap_report_normalises_and_keeps_one_example_per_text() -> None:
    train = ["Il faut taxer le kérosène.", "Un texte sans rapport avec le reste du corpus."]
    test = ["IL FAUT   taxer le kérosène.", "Tout autre chose ici, vraiment.", ""]
    rep = baselines.overlap_report(train, test)
    assert (rep["exact"], rep["near"], rep["n_test"]) == (1, 0, 3)
    assert rep["examples"] == [
        {
            "kind": "exact",
            "test_index": 0,
            "train_index": 0,
            "jaccard": 1.0,
            "test_text": test[0],
            "train_text": train[0],
        }
    ]
    assert baselines.normalise_text("  A\tB\n c ") == "a b c"
