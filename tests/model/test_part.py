"""Part directories: the manifest, the weights check, and opening full and adapter parts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from stance.model.part import (
    PART_FILE,
    ModelError,
    PartInfo,
    auto_class,
    label_kwargs,
    load_part,
)
from stance.model.tasks import CONTEXT_CHARS
from tests.tiny import ROLE_LABELS, build_base, fine_tuned_part

SENTENCES = ["Il faut taxer le kérosène.", "Les jeunes n'ont pas de travail, c'est le problème."]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("part") / "base")


@pytest.fixture(scope="module")
def full_part(base: Path) -> tuple[Path, torch.nn.Module]:
    out = base.parent / "full"
    return out, fine_tuned_part(base, out, rank=2)


@pytest.fixture(scope="module")
def adapter_part(base: Path) -> tuple[Path, torch.nn.Module]:
    """A LoRA adapter (no tokenizer of its own) with non-zero updates and a trained head."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(
        str(base), **label_kwargs(ROLE_LABELS)
    )
    config = LoraConfig(task_type="SEQ_CLS", r=2, lora_alpha=4, target_modules=["query", "value"])
    peft_model = get_peft_model(model, config)
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name or "classifier" in name:
                p.copy_(0.3 * torch.randn(p.shape, generator=gen))
    out = base.parent / "adapter"
    peft_model.save_pretrained(str(out))
    PartInfo(task="stance", labels=ROLE_LABELS, base=str(base), temperature=1.5).save(out)
    return out, peft_model.eval()


def _logits(model: torch.nn.Module, tokenizer: object) -> torch.Tensor:
    enc = tokenizer(SENTENCES, padding=True, return_tensors="pt")  # type: ignore[operator]
    with torch.no_grad():
        return model(**enc).logits


# --- PartInfo --------------------------------------------------------------------------------


def test_manifest_round_trip(tmp_path: Path) -> None:
    info = PartInfo(
        task="span",
        labels=("O", "B-claim", "I-claim"),
        base="almanach/camembert-base",
        max_length=64,
        context=2,
        merge_majorclaim=False,
        temperature=0.7,
        extra={"context_chars": 40, "dev_scores": {"macro_f1": 0.5}},
    )
    info.save(tmp_path)
    data = json.loads((tmp_path / PART_FILE).read_text(encoding="utf-8"))
    assert data["labels"] == ["O", "B-claim", "I-claim"]  # JSON list, read back as a tuple
    back = PartInfo.load(tmp_path)
    assert back == info and isinstance(back.labels, tuple)
    assert back.context_chars == 40


def test_context_chars_defaults_for_parts_saved_before_the_option() -> None:
    assert PartInfo("component", ("claim",), "b").context_chars == CONTEXT_CHARS
    assert PartInfo("component", ("claim",), "b", extra={"context_chars": 8}).context_chars == 8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"task": "stance"}', "not a part manifest"),  # labels missing
        ('{"task": "stance", "labels": [], "base": "b", "colour": 1}', "not a part manifest"),
    ],
)
def test_broken_manifest_is_a_model_error_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / PART_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=message) as err:
        PartInfo.load(tmp_path)
    assert PART_FILE in str(err.value)


def test_plain_transformers_checkpoint_without_manifest(tmp_path: Path) -> None:
    """A ``stance export hf`` directory: labels from id2label (in id order), task from the
    architecture or ``stance_task``."""
    config = {
        "architectures": ["BertForTokenClassification"],
        "id2label": {"10": "I-PREMISE", "2": "I-Claim", "0": "O", "1": "B-Claim"},
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    info = PartInfo.load(tmp_path)
    assert info.task == "span"
    assert info.labels == ("o", "b-claim", "i-claim", "i-premise")  # 10 after 2: numeric order
    assert info.base == str(tmp_path)
    config = {
        "architectures": ["BertForSequenceClassification"],
        "id2label": {"0": "FAVOR", "1": "AGAINST", "2": "NONE"},
        "stance_task": "stance",
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    assert PartInfo.load(tmp_path).task == "stance"
    del config["stance_task"]
    (tmp_path / "config.json").write_text(json.dumps(config))
    assert PartInfo.load(tmp_path).task == "component"  # the default for sequence classifiers


def test_neither_manifest_nor_config(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="neither"):
        PartInfo.load(tmp_path)


# --- weights check ---------------------------------------------------------------------------


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        load_part(tmp_path / "nope")


def test_pickle_weights_are_refused_by_name(
    tmp_path: Path, full_part: tuple[Path, torch.nn.Module]
) -> None:
    part = tmp_path / "part"
    shutil.copytree(full_part[0], part)
    (part / "model.safetensors").rename(part / "pytorch_model.bin")
    with pytest.raises(ModelError, match=r"pickle weights \['pytorch_model.bin'\]"):
        load_part(part)


def test_truncated_safetensors_is_reported_as_corrupted(
    tmp_path: Path, full_part: tuple[Path, torch.nn.Module]
) -> None:
    part = tmp_path / "part"
    shutil.copytree(full_part[0], part)
    weights = part / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])
    with pytest.raises(ModelError, match="corrupted") as err:
        load_part(part)
    assert "model.safetensors" in str(err.value)


def test_load_failure_is_a_model_error(
    tmp_path: Path, full_part: tuple[Path, torch.nn.Module]
) -> None:
    part = tmp_path / "part"
    shutil.copytree(full_part[0], part)
    (part / "config.json").unlink()  # manifest and weights present, architecture gone
    with pytest.raises(ModelError, match="cannot load component model"):
        load_part(part)


# --- opening parts ---------------------------------------------------------------------------


def test_full_part_opens_in_eval_mode_with_its_weights(
    full_part: tuple[Path, torch.nn.Module],
) -> None:
    path, reference = full_part
    model, tokenizer, info = load_part(path)
    assert not model.training
    assert info == PartInfo.load(path) and info.task == "component" and info.context == 1
    assert type(model) is type(reference)
    torch.testing.assert_close(_logits(model, tokenizer), _logits(reference, tokenizer))


def test_adapter_part_is_merged_and_predicts_like_the_adapter(
    base: Path, adapter_part: tuple[Path, torch.nn.Module]
) -> None:
    from transformers import AutoTokenizer

    path, peft_model = adapter_part
    model, tokenizer, info = load_part(path)
    assert info.temperature == 1.5 and info.labels == ROLE_LABELS
    assert not model.training
    assert not any("lora" in name for name, _ in model.named_parameters())  # merged
    # the adapter has no tokenizer: the base's is used
    base_tok = AutoTokenizer.from_pretrained(str(base))
    assert tokenizer(SENTENCES)["input_ids"] == base_tok(SENTENCES)["input_ids"]
    want = _logits(peft_model, base_tok)
    got = _logits(model, tokenizer)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
    from safetensors.torch import load_file

    key = "encoder.layer.0.attention.self.query.weight"
    before = next(v for k, v in load_file(str(base / "model.safetensors")).items() if key in k)
    assert not torch.allclose(model.base_model.get_parameter(key), before)  # the update is in


def test_mean_pool_adapter_gets_its_pooling_layer_back(
    tmp_path: Path, base: Path, adapter_part: tuple[Path, torch.nn.Module]
) -> None:
    part = tmp_path / "pooled"
    shutil.copytree(adapter_part[0], part)
    info = PartInfo.load(part)
    PartInfo(**{**info.__dict__, "extra": {"mean_pool": True}}).save(part)
    model, _, _ = load_part(part)
    n_base = json.loads((base / "config.json").read_text())["num_hidden_layers"]
    assert len(model.base_model.encoder.layer) == n_base + 1


def test_auto_class_and_label_kwargs() -> None:
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    assert auto_class("span") is AutoModelForTokenClassification
    assert auto_class("component") is AutoModelForSequenceClassification
    assert auto_class("stance") is AutoModelForSequenceClassification
    assert auto_class("tagger").__name__ == "BertForArgumentTagging"
    assert label_kwargs(("favor", "against")) == {
        "num_labels": 2,
        "id2label": {0: "favor", 1: "against"},
        "label2id": {"favor": 0, "against": 1},
    }


def test_tagger_checkpoint_without_manifest(base: Path, tmp_path: Path) -> None:
    """A saved ``BertForArgumentTagging`` alone (no stance_part.json) reads as a tagger part."""
    from tests.tiny import build_tagger_part

    part = build_tagger_part(base, tmp_path / "tagger")
    (part / "stance_part.json").unlink()
    info = PartInfo.load(part)
    assert info.task == "tagger" and info.labels[0] == "O"
    assert info.extra["role_labels"] == ["claim", "premise", "none"]
    model, _, loaded = load_part(part)
    assert type(model).__name__ == "BertForArgumentTagging" and loaded == info
