"""PE-FR: the Persuasive Essays in French (BIO paragraphs) and Rücklé's sentence table.

* ``pe-fr-bio`` — one document per paragraph of ``{train,dev}_PE.fr``; text = tokens joined by
  single spaces; ``spans`` (majorclaim/claim/premise); ``sentences`` from our segmenter, each
  with the role of the span covering most of its tokens (majorclaim/claim → claim, premise →
  premise, else none). Id ``pe-fr-bio:<split>:<paragraph>``.
* ``pe-fr-sentences`` — one document per row of ``sentences.tsv`` (``split, label, text``),
  one sentence with its gold role; the label must be MajorClaim, Claim, Premise or O.
"""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document, Sentence
from stance.io.conll import ROLE_OF_LABEL, bio_text, role_sentences
from stance.training.data.base import Adapter, DataError, bio_blocks, read_text, split_of

_HEADER = ["split", "label", "text"]
_LABELS = {"majorclaim", "claim", "premise", "o"}


def read_bio(path: Path, errors: str) -> list[Document]:
    from stance.segment import segment

    split = split_of(path)
    docs = []
    for n, block in enumerate(bio_blocks(path, errors)):
        bt = bio_text([block])
        sentences = role_sentences(bt.text, segment(bt.text), bt.words, bt.spans)
        meta = {"paragraph": n, "split": split}
        docs.append(Document(f"pe-fr-bio:{split}:{n}", bt.text, f"{path}#row{n}",
                             sentences=sentences, spans=bt.spans, meta=meta))  # fmt: skip
    return docs


def read_sentences(path: Path, errors: str) -> list[Document]:
    lines = read_text(path, errors).split("\n")
    if lines[0].rstrip("\r").split("\t") != _HEADER:
        raise DataError(path, 1, "expected the header 'split<TAB>label<TAB>text'")
    docs = []
    n = 0
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.rstrip("\r").split("\t", 2)
        if len(parts) != 3:
            raise DataError(path, line_no, f"row {n} has {len(parts)} fields, expected 3")
        split, label, text = parts
        if label.lower() not in _LABELS:
            raise DataError(path, line_no, f"unknown label {label!r} (MajorClaim|Claim|Premise|O)")
        sentence = Sentence(0, 0, len(text), text, role=ROLE_OF_LABEL.get(label.lower(), "none"))
        meta = {"split": split, "label": label, "row": n}
        docs.append(Document(f"pe-fr-sentences:{split}:{n}", text, f"{path}#row{n}",
                             sentences=(sentence,), meta=meta))  # fmt: skip
        n += 1
    return docs


BIO = Adapter(
    "pe-fr-bio",
    read_bio,
    "pe_fr",
    {"train": ("train_PE.fr",), "dev": ("dev_PE.fr",)},
    group_key="paragraph",
    language="fr",
)
SENTENCES = Adapter(
    "pe-fr-sentences", read_sentences, "pe_fr", {None: ("sentences.tsv",)}, language="fr"
)
ADAPTERS = (BIO, SENTENCES)
