"""Dataset converters on the real files, checked against the counts in the data README."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from stance.doc import Document
from stance.training.data.registry import (
    data_dir,
    default_paths,
    load_dataset,
    prepare,
    split_by_group,
    to_hf_dataset,
    to_record,
)


def span_counts(docs: list[Document]) -> Counter[str]:
    return Counter(s.label for d in docs for s in d.spans)


def assert_offsets(docs: list[Document]) -> None:
    for doc in docs:
        for i, sent in enumerate(doc.sentences):
            assert sent.index == i and doc.text[sent.start : sent.end] == sent.text
        for span in doc.spans:
            assert 0 <= span.start < span.end <= len(doc.text)
            assert doc.text[span.start] != " " and doc.text[span.end - 1] != " "


@pytest.mark.parametrize(
    ("split", "paragraphs", "tokens", "spans"),
    [
        ("dev", 198, 14_686, {"majorclaim": 64, "claim": 131, "premise": 330}),
        ("train", 1_584, 119_535, {"majorclaim": 533, "claim": 1_072, "premise": 2_695}),
    ],
)
def test_pe_fr_bio_counts(
    data_root: Path, split: str, paragraphs: int, tokens: int, spans: dict[str, int]
) -> None:
    docs = load_dataset("pe-fr-bio", data_root / f"pe_fr/{split}_PE.fr")
    assert len(docs) == paragraphs
    assert sum(len(d.text.split(" ")) for d in docs) == tokens  # tokens joined by single spaces
    assert span_counts(docs) == spans
    assert {d.meta["split"] for d in docs} == {split} and docs[3].meta["paragraph"] == 3
    assert_offsets(docs)


def test_pe_fr_bio_sentence_roles_match_the_sentence_table(data_root: Path) -> None:
    """Our segmenter + the majority-span rule land within 5% of Rücklé's sentence labels."""
    docs = load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr")
    ours = Counter(s.role for d in docs for s in d.sentences)
    table = load_dataset("pe-fr-sentences", data_root / "pe_fr/sentences.tsv", split="dev")
    theirs = Counter(d.sentences[0].role for d in table)
    for role in ("claim", "premise", "none"):
        assert abs(ours[role] - theirs[role]) <= 0.05 * theirs[role], (role, ours, theirs)


def test_pe_fr_sentences(data_root: Path) -> None:
    path = data_root / "pe_fr/sentences.tsv"
    train = load_dataset("pe-fr-sentences", path, split="train")
    dev = load_dataset("pe-fr-sentences", path, split="dev")
    assert (len(train), len(dev)) == (5_086, 607)
    assert len(load_dataset("pe-fr-sentences", path)) == 5_086 + 607
    for doc in dev:
        [sent] = doc.sentences
        assert (sent.start, sent.end, sent.text) == (0, len(doc.text), doc.text)
        expected = {"MajorClaim": "claim", "Claim": "claim", "Premise": "premise", "O": "none"}
        assert sent.role == expected[doc.meta["label"]]


def test_xstance(data_root: Path) -> None:
    fr = load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")
    assert len(fr) == 1_055
    assert Counter(d.stance.label for d in fr if d.stance) == {"favor": 539, "against": 516}
    assert len({d.meta["question_id"] for d in fr}) == 150
    assert len({d.meta["topic"] for d in fr}) == 10
    assert all(d.target and d.text and d.meta["language"] == "fr" for d in fr)
    assert fr[0].stance is not None and fr[0].stance.scores == {fr[0].stance.label: 1.0}
    assert len(load_dataset("xstance", data_root / "xstance/valid.de.jsonl")) == 2_871


def test_german_rows_can_take_the_french_question(data_root: Path) -> None:
    from stance.training.data.mix import stance_pool, with_french_questions

    de = load_dataset("xstance", data_root / "xstance/valid.de.jsonl")[:50]
    fr = with_french_questions(de, data_root / "xstance/questions.fr.jsonl")
    questions = {
        json.loads(line)["id"]: json.loads(line)["text"]
        for line in (data_root / "xstance/questions.fr.jsonl").read_text().splitlines()
    }
    for before, after in zip(de, fr, strict=True):
        assert after.target == questions[before.meta["question_id"]] != before.target
        assert (after.text, after.stance, after.meta) == (before.text, before.stance, before.meta)
    plain, dev = stance_pool()
    french, dev_fr = stance_pool(french_targets=True)
    assert [d.text for d in plain] == [d.text for d in french] and dev == dev_fr
    changed = [d for d, e in zip(plain, french, strict=True) if d.target != e.target]
    assert changed and all(d.meta.get("language") == "de" for d in changed)


def test_no_training_row_is_on_a_dev_question(data_root: Path) -> None:
    """Dev measures new questions: not by id, not asked again under another id, not few-shot."""
    from stance.training.data.mix import stance_pool
    from stance.training.data.registry import question_key

    train, dev = stance_pool(french_targets=True)
    dev_ids = {d.meta["question_id"] for d in dev if "question_id" in d.meta}
    texts: dict[int, set[str]] = {}
    for lang in ("fr", "de"):
        for line in (data_root / f"xstance/questions.{lang}.jsonl").read_text().splitlines():
            rec = json.loads(line)
            texts.setdefault(rec["id"], set()).add(question_key(rec["text"]))
    dev_texts = set().union(*(texts[i] for i in dev_ids))
    assert len(dev_ids) == 30 and {question_key(d.target or "") for d in dev} & dev_texts
    twins = {i for i, t in texts.items() if t & dev_texts} - dev_ids
    assert {45, 58, 59} <= twins  # the same questions as dev's 1479, 1489, 1493
    assert not {d.meta.get("question_id") for d in train} & (dev_ids | twins)
    assert not {question_key(d.target or "") for d in train} & dev_texts
    assert any(d.meta.get("dataset") == "xstance-fr" for d in train)  # few-shot rows remain
    for lang in ("fr", "de"):
        path = data_root / f"xstance/valid.{lang}.jsonl"
        asked = {question_key(d.target or "") for d in load_dataset("xstance", path, split="dev")}
        for split in ("train", "comments"):
            rows = load_dataset("xstance", path, split=split)
            assert rows and not {question_key(d.target or "") for d in rows} & asked


def test_xstance_new_comments_are_held_out_authors_on_training_questions(data_root: Path) -> None:
    from stance.training.data.mix import stance_pool

    for lang, n in (("fr", 106), ("de", 310)):
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
    held = {
        d.id
        for lang in ("fr", "de")
        for d in load_dataset(
            "xstance", data_root / f"xstance/valid.{lang}.jsonl", split="comments"
        )
    }
    assert len(held) == 106 + 310
    assert not held & {d.id for d in stance_pool(hold_out_authors=True)[0]}
    assert held <= {d.id for d in stance_pool()[0]}  # the shipped recipe trains on them
    # scored on new comments, the harness's baselines do not train on them either
    from stance.evaluate.run import _baseline_data

    fr_held = {d.text for d in load_dataset("xstance", data_root / "xstance", split="comments")}
    assert not fr_held & set(_baseline_data("stance", "comments")[0])
    assert fr_held <= set(_baseline_data("stance", "dev")[0])


def test_efra(data_root: Path) -> None:
    docs = load_dataset("efra", data_root / "efra/macron_train.csv")
    assert len(docs) == 424
    assert Counter(d.stance.label for d in docs if d.stance) == {
        "against": 244,
        "favor": 71,
        "none": 109,
    }
    assert {d.meta["target_name"] for d in docs} == {"Emmanuel Macron"}
    assert any("\n" in d.text for d in docs)  # quoted multi-line tweets stay whole


def test_fewshot(data_root: Path) -> None:
    files = default_paths("fewshot", root=data_root)
    assert len(files) == 32
    for path in files:
        docs = load_dataset("fewshot", path)
        size = int(path.stem.split("_")[2])  # xstance-fr_train_<size>[_<seed>]
        assert len(docs) == size
        assert all(d.target and d.stance and d.meta["split"] == "train" for d in docs)
    every = load_dataset("fewshot", data_root / "fewshot")
    xstance = [d for d in every if d.meta["dataset"] == "xstance-fr"]
    assert len({d.meta["uid"] for d in xstance}) == 155
    assert {d.stance.label for d in every if d.stance} == {"favor", "against", "none"}


def test_abstrct_train(data_root: Path) -> None:
    docs = load_dataset("abstrct", data_root / "abstrct_fr/fr_neoplasm_nllb_awesome_train.tsv")
    assert len(docs) == 4_404
    assert span_counts(docs) == {"claim": 730, "premise": 1_536}
    assert all(len(d.sentences) == 1 for d in docs)
    assert_offsets(docs)


def test_abstrct_dev_invalid_utf8_is_reported_or_replaced(data_root: Path) -> None:
    path = data_root / "abstrct_fr/fr_neoplasm_nllb_awesome_dev.tsv"
    with pytest.raises(ValueError, match=r"fr_neoplasm_nllb_awesome_dev\.tsv.*byte 1784"):
        load_dataset("abstrct", path)
    docs = load_dataset("abstrct", path, encoding_errors="replace")
    assert len(docs) == 679
    assert any("\ufffd" in d.text for d in docs)
    assert_offsets(docs)


def test_directory_paths_and_splits(data_root: Path) -> None:
    assert default_paths("pe-fr-bio", "train", data_root) == [data_root / "pe_fr/train_PE.fr"]
    assert len(load_dataset("pe-fr-bio", data_root, split="dev")) == 198
    assert len(load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr", split="train")) == 0
    fr_de = load_dataset("xstance", data_root / "xstance")
    assert len(fr_de) == 1_055 + 2_871
    train = load_dataset("xstance", data_root / "xstance", split="train")
    dev = load_dataset("xstance", data_root / "xstance", split="dev")
    comments = load_dataset("xstance", data_root / "xstance", split="comments")
    twins = [d for d in fr_de if d.meta["question_id"] in {45, 46, 58, 59, 2716, 2736, 2740, 3424}]
    assert len(train) + len(dev) + len(comments) + len(twins) == len(fr_de)
    assert not {d.meta["question_id"] for d in train} & {d.meta["question_id"] for d in dev}
    with pytest.raises(ValueError, match="unknown data format"):
        load_dataset("conll2003", data_root)


def test_split_by_group_is_deterministic_and_disjoint(data_root: Path) -> None:
    docs = load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")
    train, dev = split_by_group(docs, key="question_id", dev_fraction=0.2, seed=13)
    again = split_by_group(list(docs), key="question_id", dev_fraction=0.2, seed=13)
    assert ([d.id for d in train], [d.id for d in dev]) == tuple([d.id for d in p] for p in again)
    dev_q = {d.meta["question_id"] for d in dev}
    assert len(dev_q) == 30 and not dev_q & {d.meta["question_id"] for d in train}
    assert len(train) + len(dev) == len(docs)
    other = split_by_group(docs, key="question_id", seed=14)[1]
    assert {d.meta["question_id"] for d in other} != dev_q
    by_id = split_by_group(docs, key="id")  # an attribute, not a meta key
    assert len(by_id[1]) == round(0.2 * len(docs))


def test_jsonl_schema_round_trip(tmp_path: Path, data_root: Path) -> None:
    docs = load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr")[:20]
    docs += load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")[:20]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(to_record(d), ensure_ascii=False) + "\n" for d in docs))
    assert load_dataset("jsonl", path) == docs
    path.write_text('{"id": "x"}\n')
    with pytest.raises(ValueError, match="lacks"):
        load_dataset("jsonl", path)


def test_to_hf_dataset_kinds(data_root: Path) -> None:
    pe = load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr")[:5]
    xs = load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")[:5]
    stance = to_hf_dataset(xs)
    assert stance.column_names == ["id", "text", "target", "label"] and len(stance) == 5
    component = to_hf_dataset(pe)
    assert component.column_names == ["id", "doc_id", "index", "text", "label"]
    assert len(component) == sum(len(d.sentences) for d in pe)
    span = to_hf_dataset(pe, kind="span")
    assert span[0]["span_labels"] == [s.label for s in pe[0].spans]


def test_prepare_writes_every_set(tmp_path: Path, data_root: Path) -> None:
    counts = prepare(tmp_path)
    assert counts["pe-fr-bio.dev"] == 198 and counts["pe-fr-sentences.train"] == 5_086
    assert counts["efra.train"] + counts["efra.dev"] == 424
    assert counts["abstrct.dev"] == 679 and counts["fewshot.train"] == 3_840
    for name, n in counts.items():
        lines = (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == n
    back = load_dataset("jsonl", tmp_path / "xstance.dev.jsonl", split="dev")
    assert len(back) == counts["xstance.dev"]


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCE_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.setenv("STANCE_DATA_DIR", str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError, match="STANCE_DATA_DIR"):
        data_dir()


def test_pe_fr_tokens_are_written_back_as_prose() -> None:
    from stance.training.data.mix import _detokenise

    text = "De nos jours , l' ordinateur ( un outil ) aide ."
    assert _detokenise(text) == "De nos jours, l'ordinateur (un outil) aide."
