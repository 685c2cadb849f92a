"""The argument tagger model: forward and loss, save and reload, and its two standard halves (a
one-sentence window reads as a sequence classifier, its tokens as a token classifier)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from stance.model.losses import partial_label_loss
from stance.model.tagger import BertForArgumentTagging, sequence_classifier, token_classifier
from stance.model.tasks import SPAN_TAGS_MERGED
from tests.tiny import build_base, build_tagger_part

SENTENCES = ["Il faut taxer le kérosène des avions.", "Les vols courts polluent beaucoup."]


@pytest.fixture(scope="module")
def part(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tagger")
    torch.manual_seed(0)
    return build_tagger_part(build_base(root / "base"), root / "part")


@pytest.fixture(scope="module")
def model(part: Path) -> BertForArgumentTagging:
    return BertForArgumentTagging.from_pretrained(str(part)).eval()


@pytest.fixture(scope="module")
def tokenizer(part: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(part))


def _two_windows(tokenizer: Any) -> dict[str, torch.Tensor]:
    """Row 0: two sentences, a marker before the second; row 1: one sentence, padded."""
    one, two = (tokenizer(s, add_special_tokens=False)["input_ids"] for s in SENTENCES)
    cls, sep, pad = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
    rows = [[cls, *one, cls, *two, sep], [cls, *two, sep]]
    width = len(rows[0])
    return {
        "input_ids": torch.tensor([r + [pad] * (width - len(r)) for r in rows]),
        "attention_mask": torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows]),
        "role_positions": torch.tensor([[0, len(one) + 1], [0, -1]]),
    }


def test_config_labels_and_shapes(model: BertForArgumentTagging, tokenizer: Any) -> None:
    assert model.config.id2label == dict(enumerate(SPAN_TAGS_MERGED))
    assert model.role_labels == ("claim", "premise", "none")
    enc = _two_windows(tokenizer)
    out = model(**enc)
    assert out.loss is None
    assert out.logits.shape == (*enc["input_ids"].shape, len(SPAN_TAGS_MERGED))
    assert out.role_logits.shape == (2, 2, 3)
    # the same sentence after another and alone: the window is its context, so they differ
    assert not torch.allclose(out.role_logits[0, 1], out.role_logits[1, 0])


def test_loss_is_token_ce_plus_role_loss(model: BertForArgumentTagging, tokenizer: Any) -> None:
    enc = _two_windows(tokenizer)
    out = model(**enc)
    labels = torch.full(enc["input_ids"].shape, -100)
    labels[0, 1:4] = torch.tensor([1, 2, 2])  # first sub-tokens only; markers stay -100
    role_labels = torch.tensor([[0, -100], [2, -100]])  # row 0's second sentence: partial
    allowed = torch.zeros(2, 2, 3, dtype=torch.long)
    allowed[0, 1] = torch.tensor([1, 1, 0])  # claim or premise
    with_loss = model(**enc, labels=labels, role_labels=role_labels, role_allowed=allowed)
    token = torch.nn.functional.cross_entropy(out.logits[0, 1:4], labels[0, 1:4])
    picked = torch.stack([out.role_logits[0, 0], out.role_logits[0, 1], out.role_logits[1, 0]])
    sets = torch.tensor([[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    expected = token + partial_label_loss(picked, sets)
    assert with_loss.loss.item() == pytest.approx(expected.item(), rel=1e-5)
    # rows with roles only (BIO all -100) still give a finite loss
    roles_only = model(**enc, labels=torch.full_like(labels, -100), role_labels=role_labels)
    assert torch.isfinite(roles_only.loss)


def test_one_sentence_window_is_a_sequence_classifier(
    model: BertForArgumentTagging, tokenizer: Any
) -> None:
    """[CLS] sentence [SEP] read at position 0 through the pooler: what
    BertForSequenceClassification computes, so the exported roles model predicts the same."""
    enc = tokenizer(SENTENCES, padding=True, return_tensors="pt")
    positions = torch.zeros(len(SENTENCES), 1, dtype=torch.long)
    ours = model(**enc, role_positions=positions)
    seq = sequence_classifier(model)
    assert seq.config.id2label == {0: "claim", 1: "premise", 2: "none"}
    torch.testing.assert_close(seq(**enc).logits, ours.role_logits[:, 0], rtol=0, atol=1e-6)
    tok = token_classifier(model)
    assert tok.config.id2label == dict(enumerate(SPAN_TAGS_MERGED))
    torch.testing.assert_close(tok(**enc).logits, ours.logits, rtol=0, atol=1e-6)


def test_saves_as_safetensors_and_reloads(
    model: BertForArgumentTagging, tokenizer: Any, tmp_path: Path
) -> None:
    from transformers import AutoModelForTokenClassification

    model.save_pretrained(str(tmp_path))
    assert (tmp_path / "model.safetensors").is_file() and not list(tmp_path.glob("*.bin"))
    again = BertForArgumentTagging.from_pretrained(str(tmp_path)).eval()
    enc = _two_windows(tokenizer)
    a, b = model(**enc), again(**enc)
    torch.testing.assert_close(a.logits, b.logits, rtol=0, atol=0)
    torch.testing.assert_close(a.role_logits, b.role_logits, rtol=0, atol=0)
    assert again.role_labels == model.role_labels
    # plain transformers opens the same directory as a span tagger
    plain = AutoModelForTokenClassification.from_pretrained(str(tmp_path)).eval()
    enc.pop("role_positions")
    torch.testing.assert_close(plain(**enc).logits, a.logits, rtol=0, atol=1e-6)
