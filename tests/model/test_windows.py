"""Windows of the argument tagger: markers open sentences, words read at their first sub-token,
sentences never split between windows, a window of one is ``tokenizer(sentence)``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from stance.doc import Document
from stance.model.tasks import doc_words
from stance.model.windows import Window, build_windows, pad_rows
from stance.segment import split_sentences
from tests.tiny import build_tokenizer

TEXT = (
    "Il faut taxer le kérosène des avions. Les vols courts polluent beaucoup plus que le train. "
    "Le gouvernement doit agir maintenant pour le climat."
)


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from transformers import AutoTokenizer

    out: Path = tmp_path_factory.mktemp("tok")
    build_tokenizer(out)
    return AutoTokenizer.from_pretrained(str(out))


def _doc(text: str = TEXT) -> Document:
    return Document(id="d", text=text, sentences=tuple(split_sentences(text)))


def _sentence_of(doc: Document, char: int) -> int:
    return next(s.index for s in doc.sentences if s.start <= char < s.end)


def test_markers_open_sentences_and_words_sit_on_first_sub_tokens(tokenizer: Any) -> None:
    doc = _doc()
    (window,) = build_windows([doc], tokenizer, max_length=128)
    assert window.sentences == (0, 1, 2) and window.markers[0] == 0
    assert [window.input_ids[m] for m in window.markers] == [tokenizer.cls_token_id] * 3
    assert window.input_ids[-1] == tokenizer.sep_token_id
    words = doc_words(doc)
    assert [w for w, _ in window.words] == list(range(len(words)))  # every word read once
    # each word's token is the first one of its sentence's tokenisation that overlaps it
    for s in doc.sentences:
        enc = tokenizer(s.text, add_special_tokens=False, return_offsets_mapping=True)
        start = window.markers[s.index] + 1
        for w, pos in window.words:
            a, b = words[w]
            if not s.start <= a < s.end:
                continue
            t = pos - start
            lo, hi = enc["offset_mapping"][t]
            assert lo + s.start < b and hi + s.start > a  # overlaps the word
            earlier = enc["offset_mapping"][:t]
            assert not any(x + s.start < b and y + s.start > a for x, y in earlier)
    assert not set(window.markers) & {pos for _, pos in window.words}  # markers: no word


def test_window_of_one_is_the_tokenizers_own_input(tokenizer: Any) -> None:
    doc = _doc("Il faut taxer le kérosène des avions.")
    (window,) = build_windows([doc], tokenizer, max_length=128)
    assert list(window.input_ids) == tokenizer(doc.text)["input_ids"]
    assert window.markers == (0,) and window.truncated == (False,)


def test_windows_never_split_a_sentence(tokenizer: Any) -> None:
    doc = _doc(TEXT * 3)
    windows = build_windows([doc], tokenizer, max_length=40)
    assert len(windows) > 1
    seen = [s for w in windows for s in w.sentences]
    assert seen == list(range(len(doc.sentences)))  # each sentence in exactly one window, in order
    for w in windows:
        assert len(w.input_ids) <= 40
        for s, marker in zip(w.sentences, w.markers, strict=True):
            enc = tokenizer(doc.sentences[s].text, add_special_tokens=False)["input_ids"]
            assert list(w.input_ids[marker + 1 : marker + 1 + len(enc)]) == enc  # whole


def test_long_sentence_is_truncated_and_flagged(tokenizer: Any) -> None:
    long = "Les " + " ".join(["vols courts polluent beaucoup"] * 12) + "."
    doc = _doc(f"Il faut agir. {long} Le train existe.")
    windows = build_windows([doc], tokenizer, max_length=24)
    cut = {s: t for w in windows for s, t in zip(w.sentences, w.truncated, strict=True)}
    assert cut == {0: False, 1: True, 2: False}
    assert all(len(w.input_ids) <= 24 for w in windows)
    read = {w for window in windows for w, _ in window.words}
    unread = [w for w, (a, _) in enumerate(doc_words(doc)) if w not in read]
    assert unread and all(_sentence_of(doc, doc_words(doc)[w][0]) == 1 for w in unread)


def test_a_blank_line_starts_a_new_window(tokenizer: Any) -> None:
    doc = _doc("Il faut agir.\n\nLe train existe. Les vols polluent.")
    windows = build_windows([doc], tokenizer, max_length=128)
    assert [w.sentences for w in windows] == [(0,), (1, 2)]


def test_documents_batch_and_pad(tokenizer: Any) -> None:
    docs = [_doc(), _doc("Bravo !"), Document(id="e", text="")]
    windows = build_windows(docs, tokenizer, max_length=128)
    assert [w.doc for w in windows] == [0, 1]
    rows = [{**w.inputs(), "role_labels": [1] * len(w.sentences)} for w in windows]
    rows[0]["role_allowed"] = [[1, 0, 0]] * 3
    rows[1]["role_allowed"] = [[0, 1, 1]]
    batch = pad_rows(rows, tokenizer.pad_token_id)
    assert batch["input_ids"].shape == batch["attention_mask"].shape
    assert batch["input_ids"][1, -1] == tokenizer.pad_token_id
    assert batch["attention_mask"][1, -1] == 0
    assert batch["role_positions"].tolist()[1] == [0, -1, -1]
    assert batch["role_labels"].tolist()[1] == [1, -100, -100]
    assert batch["role_allowed"].shape == (2, 3, 3)
    assert batch["role_allowed"][1, 1].sum() == 0 and batch["role_allowed"].dtype == torch.long


def test_inputs_are_lists() -> None:
    window = Window(0, (0,), (0, 5, 2), (0,), ((0, 1),), (False,))
    assert window.inputs() == {
        "input_ids": [0, 5, 2],
        "attention_mask": [1, 1, 1],
        "role_positions": [0],
    }
