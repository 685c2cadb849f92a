"""AbstRCT-FR: medical abstracts in French, BIO over Claim and Premise (``abstrct``).

One document per sentence (the files mark no abstract boundary), with its spans and the
sentence role (the span covering most of its tokens): Claim → claim, Premise → premise, no
span → none (full labels; genre ``medical`` in the roles mix, ``role_mix``). Id
``abstrct:<split>:<sentence>``.
The dev file is not valid UTF-8 at one byte: read it with ``encoding_errors="replace"``.
"""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document
from stance.io.conll import bio_text, role_sentences
from stance.training.data.base import Adapter, bio_blocks, split_of


def read(path: Path, errors: str) -> list[Document]:
    split = split_of(path)
    docs = []
    for n, block in enumerate(bio_blocks(path, errors)):
        bt = bio_text([block])
        sentences = role_sentences(bt.text, bt.blocks, bt.words, bt.spans)
        meta = {"sentence": n, "split": split}
        docs.append(Document(f"abstrct:{split}:{n}", bt.text, f"{path}#row{n}",
                             sentences=sentences, spans=bt.spans, meta=meta))  # fmt: skip
    return docs


ADAPTER = Adapter(
    "abstrct",
    read,
    "abstrct_fr",
    {
        "train": ("fr_neoplasm_nllb_awesome_train.tsv",),
        "dev": ("fr_neoplasm_nllb_awesome_dev.tsv",),
    },
    group_key="sentence",
    language="fr",
)
ADAPTERS = (ADAPTER,)
