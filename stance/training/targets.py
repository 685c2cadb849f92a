"""Stance targets written as statements: X-Stance asks questions, users type claims.

X-Stance targets are questions ("La Suisse doit-elle adhérer à l'UE ?"), but users name a
claim ("Il faut interdire les vols intérieurs courts"). ``question_to_statements`` rewrites the
common question shapes as a statement and its negation, so that training
(``statement_examples``) also shows statement targets, plus explicit pairs where the text
restates the target (favor) or negates it (against), bare or with a comment as its reason
(``reasoned_examples``), and the comment toward the negated statement with the opposite label
(``negated_examples``). The rules themselves (French questions included) are in
``stance.training.negation``, one module per language.

For the cross-lingual transfer mix (``data/transfer.py``), ``derived_pairs`` teaches target
consistency on every source: the text toward its negated target with the flipped label
(favor ↔ against, ``none`` stays), and toward an unrelated target of the same language as
``none``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import replace

from stance.doc import STANCES, Document
from stance.model.tasks import PairExample
from stance.training.negation import negate, question_to_statements

_OPPOSITE = {"favor": "against", "against": "favor"}
FLIP = {"favor": "against", "against": "favor", "none": "none"}  # toward the negated target


def statement_examples(
    examples: Sequence[PairExample], share: float, seed: int
) -> list[PairExample]:
    """Extra training pairs: a ``share`` of the labelled pairs again with the statement as
    target, and for every rewritable target the restatement (favor) / negation (against) pairs.
    """
    rng = random.Random(seed)
    out: list[PairExample] = []
    seen: set[str] = set()
    for ex in examples:
        rewritten = question_to_statements(ex.first)
        if rewritten is None or ex.label == "none":
            continue
        statement, negation = rewritten
        if rng.random() < share:
            out.append(PairExample(statement, ex.second, ex.label, ex.group))
        if ex.first not in seen:
            seen.add(ex.first)
            for target in (ex.first, statement):
                out.append(PairExample(target, statement, "favor", ex.group, False))
                out.append(PairExample(target, negation, "against", ex.group, False))
    return out


def reasoned_examples(
    examples: Sequence[PairExample], share: float, seed: int
) -> list[PairExample]:
    """For a ``share`` of the labelled pairs, a text that takes the comment's side in so many
    words and gives the comment as the reason, in either order: "Il faut X, car <comment>"
    (favor), "<comment> Donc, il ne faut pas X." (against).

    A reason's wording must not outvote the position it supports: trained on bare restatements
    only, the model read "Il faut interdire la publicité des jeux, car elle cible les jeunes
    joueurs" as *against* that very statement (docs/research-log.md).
    """
    rng = random.Random(seed + 1)
    out: list[PairExample] = []
    for ex in examples:
        rewritten = question_to_statements(ex.first)
        if rewritten is None or ex.label not in ("favor", "against") or not ex.annotated:
            continue
        comment = " ".join((ex.second or "").split())
        if not comment or rng.random() >= share:
            continue
        lead = rewritten[0] if ex.label == "favor" else rewritten[1]
        comment += "" if comment[-1] in ".!?…" else "."
        if rng.random() < 0.5:
            text = f"{lead[:-1]}, car {comment[0].lower()}{comment[1:]}"
        else:
            text = (
                f"{comment} {'Donc' if rng.random() < 0.5 else 'Bref'}, {lead[0].lower()}{lead[1:]}"
            )
        out.append(
            PairExample(rng.choice((ex.first, rewritten[0])), text, ex.label, ex.group, False)
        )
    return out


def negated_examples(examples: Sequence[PairExample], share: float, seed: int) -> list[PairExample]:
    """For a ``share`` of the labelled pairs, the same comment toward the *negated* statement
    ("Il ne faut pas X."), with the opposite label.

    On questions it has never seen, a model can score well by reading the comment's tone alone
    ("Oui, …", "Non, …") and ignore the target; TF-IDF + LR on the comment does just that. The
    same text with two opposite targets and two opposite labels can only be learnt by reading
    the target (docs/research-log.md, "Negated targets").
    """
    rng = random.Random(seed + 5)
    out: list[PairExample] = []
    for ex in examples:
        rewritten = question_to_statements(ex.first)
        if rewritten is None or ex.label not in _OPPOSITE or not ex.annotated:
            continue
        if rng.random() < share:
            out.append(PairExample(rewritten[1], ex.second, _OPPOSITE[ex.label], ex.group, False))
    return out


def restated_rows(rows: Sequence[dict]) -> list[dict]:
    """X-Stance rows again with the question as a statement (same label) and as its negation
    (opposite label), for every rewritable question: a dev set of the targets users type.

    A model that reads the comment's tone and not the target answers both the same way and
    scores about chance on it (docs/research-log.md, "Negated targets").
    """
    out = []
    for row in rows:
        rewritten = question_to_statements(row["question"])
        label = row["label"].lower()  # the file's labels are FAVOR / AGAINST
        if rewritten is None or label not in _OPPOSITE:
            continue
        statement, negation = rewritten
        opposite = _OPPOSITE[label].upper()
        out.append({**row, "id": f"{row['id']}-s", "question": statement})
        out.append({**row, "id": f"{row['id']}-n", "question": negation, "label": opposite})
    return out


def casual_targets(examples: Sequence[PairExample], share: float, seed: int) -> list[PairExample]:
    """A ``share`` of the targets written as users type them: lower case, no final mark.

    Training targets are all capitalised and punctuated; without these, "il faut interdire la
    publicité des jeux" and "Il faut interdire la publicité des jeux." could get opposite
    stances for the same text (docs/research-log.md).
    """
    rng = random.Random(seed + 2)
    return [
        replace(e, first=e.first.rstrip(" .?!").lower()) if rng.random() < share else e
        for e in examples
    ]


def neutral_examples(
    examples: Sequence[PairExample], sentences: Sequence[str], share: float, seed: int
) -> list[PairExample]:
    """`none` pairs of a training target and a sentence that argues nothing (``share`` × the
    number of examples, at most one per sentence).

    The other `none` pairs pair a comment with another question: argued text. Without neutral
    text among them the model gave a side to "La piscine municipale ouvre le dimanche" about
    nuclear power (docs/research-log.md).
    """
    rng = random.Random(seed + 3)
    targets = sorted({e.first for e in examples if e.annotated})
    n = min(len(sentences), int(share * len(examples)))
    chosen = rng.sample(list(sentences), n) if targets else []
    return [PairExample(rng.choice(targets), s, "none", "neutral", False) for s in chosen]


_REPORTERS = ("Certains disent", "On entend souvent", "Beaucoup affirment", "D'aucuns répètent")
_REBUTTALS = ("Mais", "Pourtant,", "C'est faux :", "En réalité,")
_AGREEMENTS = ("Ils ont raison :", "C'est juste :", "Et c'est vrai :")
REBUTTAL_CHARS = 350  # both comments together: the decisive second one must fit the window
_GERMAN = re.compile(
    r"\b(?:und|nicht|ist|der|die|das|ich|sind|werden|aber|nur|von|mit|für|auf|wir|dem|ein|eine|keine?)\b"
)


def _language(text: str) -> str:
    """'de' or 'fr', enough to keep German X-Stance comments apart from French ones."""
    return "de" if _GERMAN.search(text) else "fr"


def rebuttal_examples(
    examples: Sequence[PairExample], share: float, seed: int
) -> list[PairExample]:
    """For a ``share`` of the labelled pairs, a text that reports another comment on the same
    target and then answers it with this one: « <other> » Mais <comment>. The label is the
    comment's; the reported view is rebutted when it takes the other side, endorsed otherwise.

    Blog posts often state the opposing view before answering it; the model used to take
    "Les entreprises prétendent que …, mais les études montrent le contraire" for the reported
    view (docs/research-log.md).
    """
    rng = random.Random(seed + 4)
    labelled = [
        (ex, " ".join(ex.second.split()))
        for ex in examples
        if ex.annotated and ex.label in ("favor", "against") and ex.second
    ]
    languages = [_language(comment) for _, comment in labelled]
    by_target: dict[tuple[str, str, str], list[str]] = {}
    for (ex, comment), lang in zip(labelled, languages, strict=True):
        by_target.setdefault((ex.first, ex.label, lang), []).append(comment)
    out: list[PairExample] = []
    for (ex, comment), lang in zip(labelled, languages, strict=True):
        if rng.random() >= share:
            continue
        rebut = rng.random() < 0.7
        side = ("against" if ex.label == "favor" else "favor") if rebut else ex.label
        room = REBUTTAL_CHARS - len(comment)
        pool = by_target.get((ex.first, side, lang), [])
        others = [c for c in pool if c != comment and len(c) < room]
        if not others:
            continue
        link = rng.choice(_REBUTTALS if rebut else _AGREEMENTS)
        answer = comment[0].lower() + comment[1:]
        text = f"{rng.choice(_REPORTERS)} : « {rng.choice(others)} » {link} {answer}"
        out.append(PairExample(ex.first, text, ex.label, ex.group, False))
    return out


def stance_examples(docs: Sequence[Document], none_pairs: float, seed: int) -> list[PairExample]:
    """(target, text) pairs; adds ``none`` pairs by matching texts with unrelated targets.

    X-Stance has no neutral class: a comment answering another question (other topic when
    known) is, by construction, neither for nor against the question it is paired with.
    """
    labelled = [d for d in docs if d.target and d.stance and d.stance.label in STANCES]
    out = [
        PairExample(d.target or "", d.text, d.stance.label, _group(d)) for d in labelled if d.stance
    ]
    rng = random.Random(seed)
    pool = [d for d in labelled if d.meta.get("question_id") is not None]
    for d in rng.sample(pool, int(len(pool) * none_pairs)) if pool else []:
        for _ in range(10):
            other = rng.choice(pool)
            if _topic(other) != _topic(d) and other.target != d.target:
                out.append(PairExample(other.target or "", d.text, "none", _group(d), False))
                break
    return out


def _group(doc: Document) -> str:
    return str(doc.meta.get("question_id", doc.meta.get("topic", doc.target or "")))


def _topic(doc: Document) -> str:
    """What an unrelated target must not share: topic, question, the set's group, the target."""
    meta = doc.meta
    return str(meta.get("topic") or meta.get("question_id") or meta.get("group") or doc.target)


def target_language(doc: Document) -> str:
    """The language of a document's target (German X-Stance rows may carry French questions)."""
    return str(doc.meta.get("target_language") or doc.meta.get("language") or "")


def derived_pairs(
    docs: Sequence[Document], negated: float, unrelated: float, seed: int
) -> list[PairExample]:
    """Target-consistency pairs for a share of every source's labelled rows (``meta["source"]``).

    ``negated``: of the rows whose target ``negate`` can rewrite, that share again toward the
    negated target, label flipped (``FLIP``). ``unrelated``: that share of the rows toward a
    target of the same language from another topic (``_topic``) — of the same source where it
    has several topics, else of any source — labelled ``none``.
    """
    by_source: dict[str, list[Document]] = {}
    for d in docs:
        if d.target and d.stance and d.stance.label in STANCES:
            by_source.setdefault(str(d.meta.get("source", "")), []).append(d)
    rng = random.Random(seed + 6)
    out: list[PairExample] = []
    if negated:
        out += _negated_pairs(by_source, negated, rng)
    if unrelated:
        out += _unrelated_pairs(by_source, unrelated, rng)
    return out


def _negated_pairs(
    by_source: dict[str, list[Document]], share: float, rng: random.Random
) -> list[PairExample]:
    cache: dict[tuple[str, str], str | None] = {}
    out: list[PairExample] = []
    for source in sorted(by_source):
        candidates = []
        for d in by_source[source]:
            key = (d.target or "", target_language(d))
            if key not in cache:
                cache[key] = negate(*key)
            if cache[key]:
                candidates.append((d, str(cache[key])))
        for d, negation in rng.sample(candidates, round(share * len(candidates))):
            label = FLIP[d.stance.label if d.stance else "none"]
            out.append(PairExample(negation, d.text, label, _group(d), False))
    return out


def _unrelated_pairs(
    by_source: dict[str, list[Document]], share: float, rng: random.Random
) -> list[PairExample]:
    found: dict[tuple[str, str], dict[str, str]] = {}  # (source, language) → target → topic
    for source, docs in by_source.items():
        for d in docs:
            found.setdefault((source, target_language(d)), {})[d.target or ""] = _topic(d)
    merged: dict[str, dict[str, str]] = {}
    for (_, language), pairs in sorted(found.items()):
        merged.setdefault(language, {}).update(pairs)
    everywhere = {language: list(pairs.items()) for language, pairs in merged.items()}
    pools = {  # the source's own targets when they span several topics, else the language's
        key: list(pairs.items()) if len(set(pairs.values())) > 1 else everywhere[key[1]]
        for key, pairs in found.items()
    }
    out: list[PairExample] = []
    for source in sorted(by_source):
        docs = by_source[source]
        for d in rng.sample(docs, round(share * len(docs))):
            choices = pools[(source, target_language(d))]
            for _ in range(10):
                target, topic = rng.choice(choices)
                if topic != _topic(d) and target != d.target:
                    out.append(PairExample(target, d.text, "none", _group(d), False))
                    break
    return out
