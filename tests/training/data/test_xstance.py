"""X-Stance adapter (``xstance``) on the real files: README counts, question/author splits."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from stance.training.data.splits import question_key
from tests.training.data.helpers import stance_counts

TWIN_IDS = {45, 46, 58, 59, 2716, 2736, 2740, 3424}  # dev questions asked again under these ids


def test_xstance(data_root: Path) -> None:
    fr = load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")
    assert len(fr) == 1_055
    assert stance_counts(fr) == {"favor": 539, "against": 516}
    assert len({d.meta["question_id"] for d in fr}) == 150
    assert len({d.meta["topic"] for d in fr}) == 10
    assert all(d.target and d.text and d.meta["language"] == "fr" for d in fr)
    assert fr[0].stance is not None and fr[0].stance.scores == {fr[0].stance.label: 1.0}
    assert len(load_dataset("xstance", data_root / "xstance/valid.de.jsonl")) == 2_871


def test_directory_splits_keep_questions_apart(data_root: Path) -> None:
    fr_de = load_dataset("xstance", data_root / "xstance")
    assert len(fr_de) == 1_055 + 2_871
    train = load_dataset("xstance", data_root / "xstance", split="train")
    dev = load_dataset("xstance", data_root / "xstance", split="dev")
    comments = load_dataset("xstance", data_root / "xstance", split="comments")
    twins = [d for d in fr_de if d.meta["question_id"] in TWIN_IDS]
    assert len(train) + len(dev) + len(comments) + len(twins) == len(fr_de)
    assert not {d.meta["question_id"] for d in train} & {d.meta["question_id"] for d in dev}
    for lang in ("fr", "de"):
        path = data_root / f"xstance/valid.{lang}.jsonl"
        asked = {question_key(d.target or "") for d in load_dataset("xstance", path, split="dev")}
        for split in ("train", "comments"):
            rows = load_dataset("xstance", path, split=split)
            assert rows and not {question_key(d.target or "") for d in rows} & asked


@pytest.mark.parametrize(("lang", "n"), [("fr", 106), ("de", 310)])
def test_new_comments_are_held_out_authors_on_training_questions(
    data_root: Path, lang: str, n: int
) -> None:
    path = data_root / f"xstance/valid.{lang}.jsonl"
    train = load_dataset("xstance", path, split="train")
    dev = load_dataset("xstance", path, split="dev")
    comments = load_dataset("xstance", path, split="comments")
    assert len(comments) == n
    authors = {d.meta["author"] for d in comments}
    questions = {d.meta["question_id"] for d in comments}
    assert not authors & {d.meta["author"] for d in train}  # new authors ...
    assert questions <= {d.meta["question_id"] for d in train}  # ... on seen questions
    assert not questions & {d.meta["question_id"] for d in dev}
    assert {d.meta["split"] for d in comments} == {"comments"}


def test_malformed_rows_are_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "valid.fr.jsonl"
    row = '{"id": 1, "comment": "Oui.", "question": "Faut-il ?", "label": "FAVOR"}'
    path.write_text(f"{row}\n\n{{not json\n")
    with pytest.raises(DataError, match=r"valid\.fr\.jsonl:3: record 1 is not JSON"):
        load_dataset("xstance", path)
    path.write_text(f"{row}\n{row.replace('FAVOR', 'MAYBE')}\n")
    with pytest.raises(DataError, match=r"valid\.fr\.jsonl:2: unknown stance label 'MAYBE'"):
        load_dataset("xstance", path)
    path.write_text('{"id": 1, "question": "Faut-il ?", "label": "FAVOR"}\n')
    with pytest.raises(DataError, match=r"valid\.fr\.jsonl:1: record 0 lacks 'comment'"):
        load_dataset("xstance", path)
