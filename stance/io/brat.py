"""BRAT standoff files: ``NAME.txt`` holds the text, ``NAME.ann`` its annotations.

What we write, per document:

* ``T`` lines (``T1<TAB>Claim 0 42<TAB>text``) for ``doc.spans``; when a document has no spans
  (the component model labels sentences, not spans), each claim/premise *sentence* becomes a
  ``T`` line instead, so the output is never empty for labelled text;
* for those sentence entities, an ``A`` line with the sentence stance when there is one
  (``A1<TAB>Stance T1 against``);
* an ``annotation.conf`` in the directory so that BRAT shows the labels.

Offsets are character offsets into the ``.txt`` file, which is written without newline
translation, exactly as ``doc.text``. Reading gives back ``Document.spans`` with lowercase labels.
"""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document, Span

BRAT_LABEL = {"majorclaim": "MajorClaim", "claim": "Claim", "premise": "Premise"}
ANNOTATION_CONF = """[entities]
MajorClaim
Claim
Premise

[relations]

[events]

[attributes]
Stance Arg:<ENTITY>, Value:favor|against|none
"""


def brat_annotations(doc: Document) -> str:
    """The ``.ann`` content for ``doc`` (see the module docstring for what goes in)."""
    lines: list[str] = []
    if doc.spans:
        for k, span in enumerate(doc.spans, 1):
            lines.append(_t_line(k, span, doc.text))
        return "".join(lines)
    n_attr = 0
    entities = [s for s in doc.sentences if s.role in ("claim", "premise")]
    for k, sent in enumerate(entities, 1):
        lines.append(_t_line(k, Span(sent.start, sent.end, sent.role or ""), doc.text))
        if sent.stance:
            n_attr += 1
            lines.append(f"A{n_attr}\tStance T{k} {sent.stance}\n")
    return "".join(lines)


def write_brat(doc: Document, directory: str | Path, name: str) -> tuple[Path, Path]:
    """Write ``name.txt`` and ``name.ann`` under ``directory``; returns both paths."""
    directory = Path(directory)
    txt, ann = directory / f"{name}.txt", directory / f"{name}.ann"
    with txt.open("w", encoding="utf-8", newline="") as fh:
        fh.write(doc.text)
    with ann.open("w", encoding="utf-8", newline="") as fh:
        fh.write(brat_annotations(doc))
    return txt, ann


def write_conf(directory: str | Path) -> None:
    """Drop an ``annotation.conf`` next to the files unless one is already there."""
    conf = Path(directory) / "annotation.conf"
    if not conf.exists():
        conf.write_text(ANNOTATION_CONF, encoding="utf-8")


def read_brat(txt_path: str | Path, ann_path: str | Path | None = None) -> Document:
    """A document with the ``.txt`` text and the ``T`` entities of the ``.ann`` as spans.

    Discontinuous entities (``0 5;9 12``) become one span from the first start to the last end.
    Raises ``ValueError`` when an entity's text does not match the offsets (wrong file pair).
    """
    txt_path = Path(txt_path)
    ann = Path(ann_path) if ann_path else txt_path.with_suffix(".ann")
    with txt_path.open(encoding="utf-8", newline="") as fh:
        text = fh.read()
    spans = []
    for n, line in enumerate(ann.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith("T"):
            spans.append(_parse_t_line(line, text, f"{ann}:{n}"))
    return Document(id=txt_path.stem, text=text, source=str(txt_path), spans=tuple(spans))


def _t_line(k: int, span: Span, text: str) -> str:
    label = BRAT_LABEL.get(span.label, span.label.capitalize())
    shown = " ".join(text[span.start : span.end].split())
    return f"T{k}\t{label} {span.start} {span.end}\t{shown}\n"


def _parse_t_line(line: str, text: str, where: str) -> Span:
    try:
        _, body, shown = line.rstrip("\r").split("\t", 2)
        label, _, offsets = body.partition(" ")
        pairs = [tuple(map(int, part.split())) for part in offsets.split(";")]
        start, end = pairs[0][0], pairs[-1][1]
    except ValueError as err:
        raise ValueError(f"{where}: malformed BRAT entity line {line!r}") from err
    if " ".join(text[start:end].split()) != " ".join(shown.split()) and ";" not in offsets:
        raise ValueError(f"{where}: entity text {shown!r} does not match offsets {start}-{end}")
    return Span(start, end, label.lower())
