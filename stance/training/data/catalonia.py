"""Catalonia Independence Corpus (Zotova et al. 2020), Catalan and Spanish tweets (``catalonia``).

TSV files (named ``.csv``): ``id_str, TWEET, LABEL``. One target for all rows, the
independence of Catalonia, written in the tweets' language (the files name none; the data
README writes it in English). FAVOR → favor, AGAINST → against, NEUTRAL → none. Language from
the file name (catalan → ca, spanish → es). Group = the tweet id (``id_str``; many are
mangled to a float like ``1.1e+18`` by a spreadsheet, so ids are ours: ``catalonia:<file>:<row>``).
ca train 6,028 / val 2,010; es train 6,046 / val 2,015 (val is ``dev``). es train holds 3
tweets twice, with opposite labels: kept as written, in one group.
"""

from __future__ import annotations

from dataclasses import replace

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, by_file

CATALAN = Schema(
    "catalonia",
    text="TWEET",
    target=None,
    label="LABEL",
    group="id_str",
    language="ca",
    stances={"FAVOR": ["favor"], "AGAINST": ["against"], "NEUTRAL": ["none"]},
    fixed_target="La independència de Catalunya",
    delimiter="\t",
)
SPANISH = replace(CATALAN, language="es", fixed_target="La independencia de Cataluña")
ADAPTER = Adapter(
    "catalonia",
    by_file({"catalan_*": CATALAN, "spanish_*": SPANISH}),
    "xling/catalonia_independence",
    {
        "train": ("catalan_train.csv", "spanish_train.csv"),
        "dev": ("catalan_val.csv", "spanish_val.csv"),
    },
    group_key="group",
)
ADAPTERS = (ADAPTER,)
