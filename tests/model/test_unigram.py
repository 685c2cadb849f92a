"""The compact Unigram tokenizer gives the standard fast tokenizer's ids and offsets."""

from __future__ import annotations

import json
import random
from array import array
from pathlib import Path

import pytest

from stance.model.unigram import UnigramSegmenter, compact_tokenizer
from tests.tiny import CORPUS, build_tokenizer

TRICKY = [
    "",
    " ",
    "Le télétravail doit être encouragé.  Il réduit les trajets !",
    "  deux  espaces\tune tabulation\net une ligne ",
    "ﬁn ½ ① ǅ e\u0301 日本語 🙂 \x07a ＡＢＣ",
    "<s> des balises <mask> dans le texte </s>",
    "anticonstitutionnellement" * 3,
]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tok")
    build_tokenizer(out)
    return out


def _random_unigram(rng: random.Random) -> tuple[list[str], list[float]]:
    """A vocabulary over 'abc' (never 'd': unknown) with integer scores, so ties happen."""
    pieces = {"".join(rng.choice("abc") for _ in range(rng.randint(1, 4))) for _ in range(25)}
    pieces.discard("c")  # 'c' alone is unknown unless a longer piece covers it
    ordered = ["<unk>", *sorted(pieces)]
    return ordered, [0.0] + [float(-rng.randint(1, 4)) for _ in pieces]


def test_segments_as_tokenizers_unigram_does_ties_and_unknowns_included() -> None:
    from tokenizers import models

    rng = random.Random(7)
    checked = 0
    for _ in range(40):
        pieces, scores = _random_unigram(rng)
        reference = models.Unigram(list(zip(pieces, scores, strict=True)), unk_id=0)
        ours = UnigramSegmenter(pieces, array("d", scores))
        for _ in range(25):
            text = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 12)))
            expected = [tok.offsets for tok in reference.tokenize(text)]
            assert ours.segment(text) == expected, (pieces, scores, text)
            checked += 1
    assert checked == 1000


def test_consecutive_unknown_characters_are_one_piece() -> None:
    ours = UnigramSegmenter(["<unk>", "a", "b"], array("d", [0.0, -1.0, -1.0]))
    assert ours.segment("axyzb") == [(0, 1), (1, 4), (4, 5)]


def _both(tiny_dir: Path) -> tuple[object, object]:
    from transformers import AutoTokenizer

    compact = compact_tokenizer(tiny_dir)
    assert compact is not None
    return AutoTokenizer.from_pretrained(str(tiny_dir)), compact


def test_same_ids_and_offsets_as_the_standard_tokenizer(tiny_dir: Path) -> None:
    standard, compact = _both(tiny_dir)
    texts = TRICKY + CORPUS
    for kw in ({}, {"add_special_tokens": False}):
        want = standard(texts, return_offsets_mapping=True, **kw)  # type: ignore[operator]
        got = compact(texts, return_offsets_mapping=True, **kw)  # type: ignore[operator]
        assert got["input_ids"] == want["input_ids"]
        assert got["offset_mapping"] == want["offset_mapping"]
    assert any(3 in ids for ids in want["input_ids"])  # unknown pieces were exercised


def test_pairs_windows_and_words_as_the_standard_tokenizer(tiny_dir: Path) -> None:
    standard, compact = _both(tiny_dir)
    pair = {
        "truncation": "only_first",
        "max_length": 24,
        "stride": 4,
        "return_overflowing_tokens": True,
    }
    first, second = [" ".join(CORPUS), CORPUS[0]], ["le climat", "la retraite"]
    want = standard(first, second, **pair)  # type: ignore[operator]
    got = compact(first, second, **pair)  # type: ignore[operator]
    assert got["input_ids"] == want["input_ids"] and len(want["input_ids"]) > 2
    assert got["overflow_to_sample_mapping"] == want["overflow_to_sample_mapping"]
    words = [text.split() for text in CORPUS[:4]]
    split = {"is_split_into_words": True, "padding": True, "return_tensors": "pt"}
    want = standard(words, **split)  # type: ignore[operator]
    got = compact(words, **split)  # type: ignore[operator]
    assert got["input_ids"].tolist() == want["input_ids"].tolist()
    assert [got.word_ids(i) for i in range(4)] == [want.word_ids(i) for i in range(4)]


def test_other_models_are_left_to_the_standard_tokenizer(tmp_path: Path, tiny_dir: Path) -> None:
    spec = json.loads((tiny_dir / "tokenizer.json").read_text(encoding="utf-8"))
    spec["model"]["byte_fallback"] = True
    (tmp_path / "tokenizer.json").write_text(json.dumps(spec), encoding="utf-8")
    assert compact_tokenizer(tmp_path) is None


@pytest.mark.slow
def test_the_e5_vocabulary_tokenises_the_examples_as_before() -> None:
    from transformers import AutoTokenizer

    from stance.model.e5 import ensure_e5_offline

    base = ensure_e5_offline()
    root = Path(__file__).resolve().parents[2]
    texts = TRICKY + [p.read_text(encoding="utf-8") for p in sorted(root.glob("data/examples/*"))]
    standard, compact = AutoTokenizer.from_pretrained(str(base)), compact_tokenizer(base)
    assert compact is not None
    want = standard(texts, return_offsets_mapping=True)
    got = compact(texts, return_offsets_mapping=True)
    assert got["input_ids"] == want["input_ids"]
    assert got["offset_mapping"] == want["offset_mapping"]


def test_the_vocabulary_is_read_once_then_from_the_cache(
    tiny_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCE_CACHE_DIR", str(tmp_path))
    first = compact_tokenizer(tiny_dir)
    (cached,) = (tmp_path / "tokenizers").glob("unigram-*.json")
    assert first is not None and cached.stat().st_size > 0
    again = compact_tokenizer(tiny_dir)  # from the cache
    cached.write_text("{broken", encoding="utf-8")
    repaired = compact_tokenizer(tiny_dir)  # a bad cache is read from the source and rewritten
    assert json.loads(cached.read_text(encoding="utf-8"))["pieces"]
    ids = [t(CORPUS)["input_ids"] for t in (first, again, repaired)]  # type: ignore[misc]
    assert ids[0] == ids[1] == ids[2]


def test_a_very_long_word_is_cut_as_the_standard_tokenizer_cuts_it(tiny_dir: Path) -> None:
    """Thousands of pieces in one pre-token: sliced in halves (``_cut``), same ids and offsets."""
    standard, compact = _both(tiny_dir)
    text = "x " + "a" * 20_000 + " fin " + "é" * 3_000 + "ﬁn" * 500
    want = standard([text], return_offsets_mapping=True)  # type: ignore[operator]
    got = compact([text], return_offsets_mapping=True)  # type: ignore[operator]
    assert len(want["input_ids"][0]) > 1_000
    assert got["input_ids"] == want["input_ids"]
    assert got["offset_mapping"] == want["offset_mapping"]
