"""Research data sets → ``Document``s with gold labels where predictions would go.

One converter per format (``load_dataset(fmt, path)``), so training, evaluation and
``stance data prepare`` all read the same objects:

* ``pe-fr-bio`` — one document per paragraph; text = tokens joined by single spaces; ``spans``
  (majorclaim/claim/premise); ``sentences`` from our segmenter, each with the role of the span
  covering most of its tokens (majorclaim/claim → claim, premise → premise, else none).
* ``pe-fr-sentences`` — one document per row of ``sentences.tsv``, one sentence, gold role.
* ``xstance`` / ``efra`` / ``fewshot`` — one document per row: text, target, gold ``stance``.
* ``abstrct`` — one document per sentence (the files mark no abstract boundary), with spans and
  the sentence role as above.
* ``jsonl`` — the project's own schema: a document record plus ``text`` and ``meta``
  (``to_record``), read back with ``Document.from_dict``.

``split``: files with a split in their name (PE-FR, AbstRCT) or column (``sentences.tsv``)
keep the rows of that split; X-Stance and E-FRA, which ship a single part here, are split with
``split_by_group`` (by question, by tweet; X-Stance rows whose question text is a dev
question's, asked again under another id, are left out of ``train``); few-shot files are all
``train``. X-Stance also has
a ``comments`` split: comments on *training* questions by held-out authors
(``held_out_author``), the "new comments" case of the X-Stance test, kept out of ``train``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from stance.doc import DocStance, Document, Sentence
from stance.io.conll import ROLE_OF_LABEL, bio_text, iter_blocks, role_sentences

FORMATS = ("pe-fr-bio", "pe-fr-sentences", "xstance", "efra", "fewshot", "abstrct", "jsonl")
STANCE_OF_LABEL = {"favor": "favor", "favour": "favor", "against": "against", "none": "none"}
GROUP_KEYS = {"xstance": "question_id", "efra": "id"}  # formats split by split_by_group
NEW_COMMENT_AUTHORS = 0.15  # X-Stance: share of authors whose training-question comments are dev
REPO_ROOT = Path(__file__).resolve().parents[3]

# folder under the data root, and file patterns per split (None: the only/all files)
_LAYOUT: dict[str, tuple[str, dict[str | None, tuple[str, ...]]]] = {
    "pe-fr-bio": ("pe_fr", {"train": ("train_PE.fr",), "dev": ("dev_PE.fr",)}),
    "pe-fr-sentences": ("pe_fr", {None: ("sentences.tsv",)}),
    "xstance": ("xstance", {None: ("valid.fr.jsonl", "valid.de.jsonl")}),
    "efra": ("efra", {None: ("macron_train.csv",)}),
    "fewshot": ("fewshot", {None: ("*/*.json",)}),
    "abstrct": (
        "abstrct_fr",
        {
            "train": ("fr_neoplasm_nllb_awesome_train.tsv",),
            "dev": ("fr_neoplasm_nllb_awesome_dev.tsv",),
        },
    ),
    "jsonl": ("", {None: ("*.jsonl",)}),
}


def data_dir() -> Path:
    """``$STANCE_DATA_DIR``, else ``../shared/data`` next to the repository."""
    env = os.environ.get("STANCE_DATA_DIR")
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"STANCE_DATA_DIR={env} is not a directory")
        return path
    default = REPO_ROOT.parent / "shared" / "data"
    if default.is_dir():
        return default
    raise FileNotFoundError(
        "no research data found: set STANCE_DATA_DIR to the folder holding pe_fr/, xstance/, "
        f"efra/, fewshot/ and abstrct_fr/ (default {default})"
    )


def default_paths(fmt: str, split: str | None = None, root: str | Path | None = None) -> list[Path]:
    """The files of ``fmt`` (for ``split`` when the format has per-split files) under ``root``.

    ``root`` is the data directory (default ``data_dir()``) or the format's own folder.
    """
    folder, files = _layout(fmt)
    base = Path(root) if root is not None else data_dir()
    if folder and (base / folder).is_dir():
        base = base / folder
    if split in files:
        patterns = files[split]
    else:
        patterns = tuple(p for group in files.values() for p in group)
    return [p for pattern in patterns for p in sorted(base.glob(pattern))]


def load_dataset(
    fmt: str,
    path: str | Path,
    *,
    split: str | None = None,
    encoding_errors: str = "strict",
) -> list[Document]:
    """Gold documents of ``fmt`` from a file, or from a directory (its ``default_paths``).

    Raises ``ValueError`` for malformed data (naming the file, and the byte offset for
    undecodable bytes), ``FileNotFoundError`` when nothing matches ``path``.
    """
    path = Path(path)
    files = [path] if path.is_file() else default_paths(fmt, split, path) if path.is_dir() else []
    if not files:
        raise FileNotFoundError(f"{path}: no {fmt} data file there")
    docs = [doc for f in files for doc in _LOADERS[fmt](f, encoding_errors)]
    if split is None:
        return docs
    if fmt in GROUP_KEYS:
        train, dev = split_by_group(docs, key=GROUP_KEYS[fmt])
        if fmt == "xstance":  # a dev question asked again under another id is a dev question
            folder = path if path.is_dir() else path.parent
            asked, _ = dev_question_keys({d.meta.get("question_id") for d in dev}, folder)
            train = [d for d in train if d.meta.get("question_id") not in asked]
        held = [held_out_author(d) for d in train]  # one hash per comment
        comments = [d for d, h in zip(train, held, strict=True) if h]
        train = [d for d, h in zip(train, held, strict=True) if not h]
        chosen = {"train": train, "dev": dev, "comments": comments}.get(split, [])
        return [replace(d, meta={**d.meta, "split": split}) for d in chosen]
    return [d for d in docs if d.meta.get("split") == split]


def split_by_group(
    docs: Sequence[Document], key: str = "question_id", dev_fraction: float = 0.2, seed: int = 13
) -> tuple[list[Document], list[Document]]:
    """(train, dev) with every group (``meta[key]``, else the attribute, else the id) on one side.

    Deterministic for a given seed: groups are sorted, then shuffled with ``random.Random``.
    """
    groups = sorted({_group_of(d, key) for d in docs})
    random.Random(seed).shuffle(groups)
    n_dev = max(1, round(len(groups) * dev_fraction)) if len(groups) > 1 and dev_fraction else 0
    dev_groups = set(groups[:n_dev])
    train = [d for d in docs if _group_of(d, key) not in dev_groups]
    dev = [d for d in docs if _group_of(d, key) in dev_groups]
    return train, dev


def question_key(text: str) -> str:
    """A question's text as X-Stance repeats it: spacing and case do not make a new question."""
    return " ".join(text.split()).casefold()


def dev_question_keys(dev_ids: set[Any], folder: Path) -> tuple[set[Any], set[str]]:
    """Ids and texts (``question_key``) of the dev questions and their twins: none may train.

    X-Stance asks some questions again under another id (another election: 45 and 1479 are
    the same French text), and the few-shot files hold X-Stance *train* comments, whose
    questions are the validation questions, named by text only. Rows on either would put
    comments on a dev question into training, and dev would no longer measure new questions.
    ``folder`` holds ``questions.{fr,de}.jsonl`` (where missing, only ``dev_ids`` count).
    """
    texts: dict[Any, list[str]] = {}
    for path in (folder / "questions.fr.jsonl", folder / "questions.de.jsonl"):
        for _, rec in _json_lines(path, "strict") if path.exists() else ():
            texts.setdefault(rec["id"], []).append(question_key(rec["text"]))
    dev_texts = {t for i in dev_ids for t in texts.get(i, [])}
    twins = {i for i, ts in texts.items() if dev_texts.intersection(ts)}
    return set(dev_ids) | twins, dev_texts


def held_out_author(doc: Document) -> bool:
    """Whether an X-Stance comment's author is held out of training ("new comments" dev).

    Decided by a hash of the author alone, so the same authors are held out whichever file or
    subset is read (French, German, both), and a held-out author's comments never train.
    """
    author = doc.meta.get("author")
    if not author:
        return False
    digest = int(hashlib.sha256(str(author).encode()).hexdigest(), 16)
    return digest % 100 < NEW_COMMENT_AUTHORS * 100


def to_record(doc: Document) -> dict[str, Any]:
    """The document record plus ``text`` and ``meta``: the ``jsonl`` data format."""
    return {**doc.to_dict(), "text": doc.text, "meta": doc.meta}


def prepare(out_dir: str | Path) -> dict[str, int]:
    """Write every research set as ``<format>.<split>.jsonl`` under ``out_dir``; counts per file.

    AbstRCT-FR dev has an undecodable byte: it is decoded with replacement characters here.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = data_dir()
    counts: dict[str, int] = {}
    for fmt, split in _PREPARED:
        errors = "replace" if fmt == "abstrct" else "strict"
        docs = load_dataset(fmt, root, split=split, encoding_errors=errors)
        name = f"{fmt}.{split}"
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json.dumps(to_record(doc), ensure_ascii=False) + "\n")
        counts[name] = len(docs)
    return counts


_PREPARED = [
    (fmt, split)
    for fmt in ("pe-fr-bio", "pe-fr-sentences", "xstance", "efra", "abstrct")
    for split in ("train", "dev")
] + [("fewshot", "train")]


def to_hf_dataset(docs: Sequence[Document], kind: str | None = None) -> Any:
    """A flat ``datasets.Dataset``; ``kind`` defaults to stance > component > span.

    * ``stance``: one row per document with a gold stance — ``id, text, target, label``;
    * ``component``: one row per sentence with a role — ``id`` (``doc_id:index``), ``doc_id``,
      ``index, text, label``;
    * ``span``: one row per document — ``id, text, span_starts, span_ends, span_labels``.
    """
    from datasets import Dataset

    kind = kind or _guess_kind(docs)
    rows: list[dict[str, Any]]
    if kind == "stance":
        rows = [
            {"id": d.id, "text": d.text, "target": d.target or "", "label": d.stance.label}
            for d in docs
            if d.stance
        ]
    elif kind == "component":
        rows = [
            {
                "id": f"{d.id}:{s.index}",
                "doc_id": d.id,
                "index": s.index,
                "text": s.text,
                "label": s.role,
            }
            for d in docs
            for s in d.sentences
            if s.role
        ]
    elif kind == "span":
        rows = [_span_row(d) for d in docs]
    else:
        raise ValueError(f"unknown kind {kind!r} (stance | component | span)")
    return Dataset.from_list(rows)


# --- converters ------------------------------------------------------------------------------


def _load_pe_bio(path: Path, errors: str) -> list[Document]:
    from stance.segment import segment

    split = _split_of(path)
    docs = []
    for n, block in enumerate(iter_blocks(_read_text(path, errors).split("\n"))):
        bt = bio_text([block])
        sentences = role_sentences(bt.text, segment(bt.text), bt.words, bt.spans)
        meta = {"paragraph": n, "split": split}
        docs.append(_gold(f"pe-fr-bio:{split}:{n}", bt.text, path, n, sentences, bt.spans, meta))
    return docs


def _load_abstrct(path: Path, errors: str) -> list[Document]:
    split = _split_of(path)
    docs = []
    for n, block in enumerate(iter_blocks(_read_text(path, errors).split("\n"))):
        bt = bio_text([block])
        sentences = role_sentences(bt.text, bt.blocks, bt.words, bt.spans)
        meta = {"sentence": n, "split": split}
        docs.append(_gold(f"abstrct:{split}:{n}", bt.text, path, n, sentences, bt.spans, meta))
    return docs


def _gold(
    doc_id: str, text: str, path: Path, n: int, sentences: tuple[Sentence, ...],
    spans: tuple[Any, ...], meta: dict[str, Any],
) -> Document:  # fmt: skip
    return Document(doc_id, text, f"{path}#row{n}", sentences=sentences, spans=spans, meta=meta)


def _load_pe_sentences(path: Path, errors: str) -> list[Document]:
    lines = _read_text(path, errors).split("\n")
    if lines[0].rstrip("\r").split("\t") != ["split", "label", "text"]:
        raise ValueError(f"{path}: expected the header 'split<TAB>label<TAB>text'")
    docs = []
    for n, line in enumerate(ln for ln in lines[1:] if ln.strip()):
        split, label, text = _fields(line, 3, path, n)
        role = ROLE_OF_LABEL.get(label.lower(), "none")
        sentence = Sentence(0, 0, len(text), text, role=role)
        meta = {"split": split, "label": label, "row": n}
        docs.append(Document(f"pe-fr-sentences:{split}:{n}", text, f"{path}#row{n}",
                             sentences=(sentence,), meta=meta))  # fmt: skip
    return docs


def _load_xstance(path: Path, errors: str) -> list[Document]:
    keys = ("question_id", "topic", "language", "numerical_label", "author")
    return [
        Document(
            str(rec["id"]),
            rec["comment"],
            f"{path}#row{n}",
            target=rec["question"],
            stance=_stance(rec["label"], path, n),
            meta={k: rec.get(k) for k in keys},
        )  # fmt: skip
        for n, rec in _json_lines(path, errors)
    ]


def _load_efra(path: Path, errors: str) -> list[Document]:
    rows = csv.DictReader(io.StringIO(_read_text(path, errors), newline=""))
    return [
        Document(
            row["id"],
            row["text"],
            f"{path}#row{n}",
            target=row["target"],
            stance=_stance(row["stance"], path, n),
            meta={"target_name": row["target"], "set": row["set"]},
        )  # fmt: skip
        for n, row in enumerate(rows)
    ]


def _load_fewshot(path: Path, errors: str) -> list[Document]:
    dataset = path.stem.split("_train")[0]
    return [
        Document(
            f"{path.stem}:{n}",
            rec["hypothesis"],
            f"{path}#row{n}",
            target=rec["premise"],
            stance=_stance(rec["label"], path, n),
            meta={
                "source_file": str(path),
                "uid": rec.get("uid"),
                "dataset": dataset,
                "split": "train",
            },
        )  # fmt: skip
        for n, rec in _json_lines(path, errors)
    ]


def _load_jsonl(path: Path, errors: str) -> list[Document]:
    docs = []
    for n, rec in _json_lines(path, errors):
        if not isinstance(rec.get("text"), str) or "id" not in rec:
            raise ValueError(f"{path}: record {n} lacks 'id' or 'text' (see stance.data.to_record)")
        docs.append(Document.from_dict(rec))
    return docs


_LOADERS: dict[str, Callable[[Path, str], list[Document]]] = {
    "pe-fr-bio": _load_pe_bio,
    "pe-fr-sentences": _load_pe_sentences,
    "xstance": _load_xstance,
    "efra": _load_efra,
    "fewshot": _load_fewshot,
    "abstrct": _load_abstrct,
    "jsonl": _load_jsonl,
}


# --- helpers ---------------------------------------------------------------------------------


def _layout(fmt: str) -> tuple[str, dict[str | None, tuple[str, ...]]]:
    if fmt not in _LAYOUT:
        raise ValueError(f"unknown data format {fmt!r}; choose from {', '.join(FORMATS)}")
    return _LAYOUT[fmt]


def _read_text(path: Path, errors: str) -> str:
    """UTF-8 text (a BOM is dropped); invalid bytes raise a ValueError with their offset."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if errors == "strict":
            raise ValueError(
                f"{path}: not valid UTF-8 at byte {err.start} ({err.reason}); "
                "pass encoding_errors='replace' to decode it with replacement characters"
            ) from None
        return data.decode("utf-8-sig", errors)


def _json_lines(path: Path, errors: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(ln for ln in _read_text(path, errors).split("\n") if ln.strip()):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: record {n} is not JSON ({err.msg})") from None
        if not isinstance(rec, dict):
            raise ValueError(f"{path}: record {n} is not a JSON object")
        yield n, rec


def _fields(line: str, k: int, path: Path, n: int) -> list[str]:
    parts = line.rstrip("\r").split("\t", k - 1)
    if len(parts) != k:
        raise ValueError(f"{path}: row {n} has {len(parts)} fields, expected {k}")
    return parts


def _stance(label: str, path: Path, n: int) -> DocStance:
    norm = STANCE_OF_LABEL.get(str(label).lower())
    if norm is None:
        raise ValueError(f"{path}: row {n} has unknown stance label {label!r}")
    return DocStance(norm, {norm: 1.0})


def _split_of(path: Path) -> str | None:
    name = path.name.lower()
    return "train" if "train" in name else "dev" if "dev" in name else None


def _group_of(doc: Document, key: str) -> str:
    value = doc.meta.get(key)
    if value is None:
        value = getattr(doc, key, None)
    return str(value if value is not None else doc.id)


def _guess_kind(docs: Sequence[Document]) -> str:
    if any(d.stance for d in docs):
        return "stance"
    if any(s.role for d in docs for s in d.sentences):
        return "component"
    return "span"


def _span_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "text": doc.text,
        "span_starts": [s.start for s in doc.spans],
        "span_ends": [s.end for s in doc.spans],
        "span_labels": [s.label for s in doc.spans],
    }
