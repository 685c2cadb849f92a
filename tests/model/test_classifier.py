"""Running a part over text: windows, padding, batching and temperature, on tiny models."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import torch

from stance.model.classifier import (
    PairClassifier,
    TokenTagger,
    _trim_padding,
    cap_tokens,
    short_side_budget,
    softmax,
    window_stride,
)
from stance.model.part import PartInfo, label_kwargs
from stance.model.tasks import SPAN_TAGS_MERGED
from tests.tiny import ROLE_LABELS, build_base, fine_tuned_part

LONG = " ".join(["le train pollue beaucoup moins que l'avion"] * 12) + "."
SENTENCES = [
    "Il faut taxer le kérosène.",
    LONG,
    "Bravo !",
    "Les jeunes n'ont pas de travail, c'est le vrai problème.",
    "Le gouvernement doit agir maintenant pour le climat.",
]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("classifier") / "base")


@pytest.fixture(scope="module")
def tokenizer(base: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base))


@pytest.fixture(scope="module")
def pair(base: Path, tokenizer: Any) -> PairClassifier:
    model = fine_tuned_part(base, base.parent / "part", rank=2, mean_pool=True)
    info = PartInfo("component", ROLE_LABELS, str(base), max_length=32, temperature=2.0)
    return PairClassifier(model, tokenizer, info)


@pytest.fixture(scope="module")
def tagger(base: Path, tokenizer: Any) -> TokenTagger:
    from transformers import AutoModelForTokenClassification

    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_pretrained(
        str(base), **label_kwargs(SPAN_TAGS_MERGED)
    ).eval()
    info = PartInfo("span", SPAN_TAGS_MERGED, str(base), max_length=24, extra={"window_stride": 6})
    return TokenTagger(model, tokenizer, info)


class LengthModel(torch.nn.Module):
    """Logits = (tokens in the row, 0, 0): shows what each window held."""

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, **_: Any) -> Any:
        n = attention_mask.sum(1).float()
        return SimpleNamespace(logits=torch.stack([n, 0 * n, 0 * n], dim=1))


# --- sizes and helpers -----------------------------------------------------------------------


@pytest.mark.parametrize("max_length", [16, 24, 32, 64, 128, 256, 512])
def test_short_side_leaves_room_for_windows_over_the_long_side(max_length: int) -> None:
    stride, budget = window_stride(max_length), short_side_budget(max_length)
    assert 1 <= stride <= max_length // 4 and stride <= 32
    assert budget >= 4 and budget + stride + 3 < max_length  # 3 special tokens of a pair


def test_window_sizes_by_hand() -> None:
    assert (window_stride(128), window_stride(64), window_stride(2)) == (32, 16, 1)
    assert window_stride(128, stride=8) == 8
    assert short_side_budget(128) == 128 - 3 - 32 - 16


def test_cap_tokens_keeps_head_and_tail(tokenizer: Any) -> None:
    short = "Bravo !"  # 6 tokens
    capped, same = cap_tokens(tokenizer, [LONG, short], budget=10)
    assert same == short  # under budget: untouched
    head, sep, tail = capped.partition(" … ")
    assert sep and LONG.startswith(head) and LONG.endswith(tail) and head and tail
    n = len(tokenizer(capped, add_special_tokens=False)["input_ids"])
    n_sep = len(tokenizer(" … ", add_special_tokens=False)["input_ids"])
    assert n <= 10 + n_sep
    assert cap_tokens(tokenizer, [], budget=10) == []


def test_trim_padding_drops_only_all_padding_columns() -> None:
    enc = {
        "input_ids": torch.tensor([[5, 6, 1, 1], [5, 1, 1, 1]]),
        "attention_mask": torch.tensor([[1, 1, 0, 0], [1, 0, 0, 0]]),
        "lengths": [2, 1],
    }
    out = _trim_padding(enc)
    assert out["input_ids"].tolist() == [[5, 6], [5, 1]]
    assert out["attention_mask"].tolist() == [[1, 1], [1, 0]]
    assert out["lengths"] == [2, 1]
    assert _trim_padding(enc, side="left") is enc  # left padding: real tokens are at the end


def test_softmax_rows_temperature_and_overflow() -> None:
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]])
    probs = softmax(logits)
    np.testing.assert_allclose(probs.sum(1), 1.0)
    np.testing.assert_allclose(probs[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    assert not np.isnan(probs).any() and probs[1, 0] == pytest.approx(1.0)
    np.testing.assert_allclose(softmax(logits[:1] + 7.0), probs[:1])  # shift invariant
    flat = softmax(logits[:1], temperature=10.0)
    assert flat.max() < probs[0].max() and flat.argmax() == probs[0].argmax()
    np.testing.assert_allclose(softmax(logits[:1], 2.0), softmax(logits[:1] / 2.0))
    assert not np.isnan(softmax(logits, temperature=0.0)).any()


# --- PairClassifier --------------------------------------------------------------------------


def test_no_input_no_forward(pair: PairClassifier) -> None:
    logits, windowed = pair.logits([])
    assert logits.shape == (0, len(ROLE_LABELS)) and windowed == []


def test_batches_sorting_and_padding_do_not_change_results(
    pair: PairClassifier, tokenizer: Any
) -> None:
    together, windowed = pair.logits(SENTENCES, batch_size=2)
    alone = np.concatenate([pair.logits([s])[0] for s in SENTENCES])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert windowed == [len(tokenizer(s)["input_ids"]) > 32 for s in SENTENCES]
    assert windowed[1] and not windowed[0]
    assert np.ptp(together, axis=0).max() > 1e-3  # different inputs, different outputs


def _forward_widths(model: torch.nn.Module, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The padded width of every forward ``model`` runs from now on."""
    widths: list[int] = []
    forward = type(model).forward

    def spy(self: Any, input_ids: torch.Tensor, **kw: Any) -> Any:
        widths.append(int(input_ids.shape[1]))
        return forward(self, input_ids=input_ids, **kw)

    monkeypatch.setattr(type(model), "forward", spy)
    return widths


def test_rows_are_forwarded_longest_first(
    pair: PairClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shortest first, each batch asked the heap for a little more than the one before freed:
    a roles call of 150 sentences grew the process by ~0.4 GB; longest first, ~0.16 GB."""
    widths = _forward_widths(pair.model, monkeypatch)
    pair.logits(SENTENCES[::-1] + SENTENCES, batch_size=2)
    assert len(set(widths)) > 1 and widths == sorted(widths, reverse=True)


def test_pairs_keep_their_order(pair: PairClassifier) -> None:
    contexts = ["[début] [phrase] Le train existe.", "Bravo. [phrase] [fin]"]
    firsts = ["Il faut agir.", "Les avions polluent beaucoup trop aujourd'hui."]
    together, _ = pair.logits(firsts, contexts)
    swapped, _ = pair.logits(firsts[::-1], contexts[::-1])
    np.testing.assert_allclose(together, swapped[::-1], atol=1e-5)
    mixed, _ = pair.logits(firsts, contexts[::-1])
    assert not np.allclose(mixed, together, atol=1e-4)  # the second text is read


def test_proba_applies_the_part_temperature(pair: PairClassifier) -> None:
    logits, _ = pair.logits(SENTENCES)
    np.testing.assert_allclose(pair.proba(SENTENCES), softmax(logits / 2.0), atol=1e-6)


def test_long_input_is_averaged_over_windows(tokenizer: Any) -> None:
    info = PartInfo("component", ROLE_LABELS, "b", max_length=32)
    clf = PairClassifier(LengthModel(), tokenizer, info)
    logits, windowed = clf.logits(["Il faut agir.", LONG])
    assert windowed == [False, True]
    assert logits[0, 0] == len(tokenizer("Il faut agir.")["input_ids"])  # one window, whole
    n_long = len(tokenizer(LONG)["input_ids"])
    assert n_long > 32
    # windows of at most 32 tokens overlap by the stride: their mean is under 32 but near it
    assert 32 / 2 < logits[1, 0] <= 32


@pytest.mark.parametrize("long_side", ["first", "second"])
def test_the_short_side_of_a_pair_is_capped(tokenizer: Any, long_side: str) -> None:
    """Whatever the lengths, every window fits and the windowed side is the long side."""
    info = PartInfo("stance", ROLE_LABELS, "b", max_length=32)
    clf = PairClassifier(LengthModel(), tokenizer, info)
    short_side = [LONG]  # too long for its budget: capped, not an error
    long_texts = [LONG]
    first, second = (long_texts, short_side) if long_side == "first" else (short_side, long_texts)
    logits, windowed = clf.logits(first, second, long_side=long_side)
    assert windowed == [True] and logits[0, 0] <= 32


# --- TokenTagger -----------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


def test_word_proba_shapes_order_and_empty_documents(tagger: TokenTagger) -> None:
    docs = [_words(s) for s in SENTENCES] + [[]]
    together = tagger.word_proba(docs, batch_size=2)
    assert [p.shape for p in together] == [(len(w), len(SPAN_TAGS_MERGED)) for w in docs]
    for words, probs in zip(docs[:-1], together[:-1], strict=True):
        (alone,) = tagger.word_proba([words])
        np.testing.assert_allclose(probs, alone, atol=1e-5)
        np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)  # every word seen


def test_words_of_a_long_paragraph_are_all_scored(tagger: TokenTagger) -> None:
    words = _words(LONG) * 2  # several windows of 24 tokens
    (probs,) = tagger.word_proba([words])
    assert probs.shape == (len(words), len(SPAN_TAGS_MERGED))
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)  # none left at zero
    # the same word in different windows gets different scores: context is read
    assert np.ptp(probs[:, 0]) > 1e-4


def test_long_paragraphs_are_forwarded_a_batch_of_windows_at_a_time(
    tagger: TokenTagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two long paragraphs make many windows: no forward holds more than ``batch_size`` rows
    (the activations of one 160-row forward took 0.6 GB), and the scores stay the same."""
    docs = [_words(LONG) * 3, _words(LONG) * 2]
    whole = tagger.word_proba(docs, batch_size=64)
    rows: list[int] = []
    forward = type(tagger.model).forward

    def spy(self: Any, input_ids: torch.Tensor, **kw: Any) -> Any:
        rows.append(int(input_ids.shape[0]))
        return forward(self, input_ids=input_ids, **kw)

    monkeypatch.setattr(type(tagger.model), "forward", spy)
    sliced = tagger.word_proba(docs, batch_size=2)
    assert sum(rows) > 4 and max(rows) <= 2
    for a, b in zip(whole, sliced, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_word_proba_uses_the_first_sub_token_and_the_temperature(tagger: TokenTagger) -> None:
    words = ["Il", "faut", "taxer", "kérosène", "."]
    enc = tagger.tokenizer([words], is_split_into_words=True, return_tensors="pt")
    with torch.no_grad():
        logits = tagger.model(**enc).logits[0].numpy()
    ids = enc.word_ids(0)
    first = [ids.index(w) for w in range(len(words))]
    hot = TokenTagger(tagger.model, tagger.tokenizer, replace(tagger.info, temperature=3.0))
    (probs,) = hot.word_proba([words])
    np.testing.assert_allclose(probs, softmax(logits[first], 3.0), atol=1e-5)


def test_argument_tagger_batches_documents_as_one_by_one(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows of several documents, sorted (longest first) and padded together, score as each
    document alone; temperatures: roles the part's, tags ``span_temperature``; unread words are
    sure "O"."""
    from stance.doc import Document
    from stance.model.classifier import ArgumentTagger
    from stance.model.part import load_part
    from stance.segment import split_sentences
    from tests.tiny import build_tagger_part

    tagger = ArgumentTagger(*load_part(build_tagger_part(base, tmp_path / "tagger")))
    texts = [" ".join(SENTENCES), "Bravo !", "", SENTENCES[0] + "\n\n" + SENTENCES[3]]
    docs = [Document(str(i), t, sentences=tuple(split_sentences(t))) for i, t in enumerate(texts)]
    widths = _forward_widths(tagger.model, monkeypatch)
    together = tagger.predict(docs, batch_size=3)
    assert len(set(widths)) > 1 and widths == sorted(widths, reverse=True)
    for doc, got in zip(docs, together, strict=True):
        (alone,) = tagger.predict([doc])
        np.testing.assert_allclose(got.role_probs, alone.role_probs, atol=1e-5)
        np.testing.assert_allclose(got.word_probs, alone.word_probs, atol=1e-5)
        assert got.role_probs.shape == (len(doc.sentences), 3)
        assert got.word_probs.shape == (len(got.words), len(tagger.labels))
    assert together[2].role_probs.shape == (0, 3) and together[2].words == []
    first = together[0]
    sizes = [len(tagger.tokenizer(s.text)["input_ids"]) for s in docs[0].sentences]
    assert first.truncated == [n > 40 for n in sizes] and any(first.truncated)  # LONG is cut
    unread = first.word_probs[:, 0] == 1.0
    assert unread.any() and (first.word_probs[unread].sum(1) == 1.0).all()
    roles, tags, _ = tagger.logits(docs[:1])
    np.testing.assert_allclose(first.role_probs, softmax(roles[0], 0.7), atol=1e-6)
    read = ~np.isnan(tags[0]).any(1)
    np.testing.assert_allclose(first.word_probs[read], softmax(tags[0][read], 0.8), atol=1e-6)


def test_argument_tagger_mixes_roles_with_those_of_its_tags(base: Path, tmp_path: Path) -> None:
    """With ``span_role_weight`` w, a sentence read beside others gets (1 - w) × its role head
    + w × the roles of its words' tags (``sentences_span_roles``); a sentence read alone (its
    own paragraph, or a one-sentence document) keeps the role head, as the export does."""
    from stance.doc import ROLES, Document
    from stance.model.classifier import ArgumentTagger
    from stance.model.part import load_part
    from stance.model.tasks import sentences_span_roles
    from stance.segment import split_sentences
    from tests.tiny import build_tagger_part

    model, tok, info = load_part(build_tagger_part(base, tmp_path / "tagger"))
    plain = ArgumentTagger(model, tok, info)
    mixed = ArgumentTagger(
        model, tok, replace(info, extra={**info.extra, "span_role_weight": 0.25})
    )
    texts = [
        " ".join([SENTENCES[0], SENTENCES[2], SENTENCES[4]]) + "\n\n" + SENTENCES[3],
        SENTENCES[0],
    ]
    docs = [Document(str(i), t, sentences=tuple(split_sentences(t))) for i, t in enumerate(texts)]
    before, after = plain.predict(docs), mixed.predict(docs)
    windows = plain.logits(docs)[2]
    beside = {(w.doc, j) for w in windows if len(w.sentences) > 1 for j in w.sentences}
    assert {(0, 0), (0, 1)} <= beside and (0, 3) not in beside and (1, 0) not in beside
    order = [ROLES.index(r) for r in plain.role_labels]
    for d, doc in enumerate(docs):
        b, a = before[d], after[d]
        bounds = [(s.start, s.end) for s in doc.sentences]
        from_tags = sentences_span_roles(b.words, b.word_probs, plain.labels, bounds)
        for j, read in enumerate(from_tags):
            if (d, j) not in beside:
                np.testing.assert_allclose(a.role_probs[j], b.role_probs[j], atol=1e-6)
                continue
            assert read is not None
            want = 0.75 * b.role_probs[j] + 0.25 * read[order]
            np.testing.assert_allclose(a.role_probs[j], want, atol=1e-6)
            assert not np.allclose(a.role_probs[j], b.role_probs[j], atol=1e-4)
        np.testing.assert_allclose(a.role_probs.sum(1), 1.0, atol=1e-5)
