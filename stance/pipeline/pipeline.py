"""The user-facing pipeline: ``nlp = stance.load(); doc = nlp(text, target=...)``.

A pipeline directory holds ``pipeline.json`` and one subfolder per task part (spaCy-style).
Running it over documents: segment → roles (with context) → spans → sentence stances →
article roll-up. Parts are loaded once, on first use, never at import time.

A ``tagger`` part (``stance/model/tagger.py``) gives roles and spans in one pass per window of
sentences; the ``component`` and ``span`` parts are then not used, unless one is given as an
override (``stance.load(task_dir)``), which takes its task back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from stance.doc import NO_WORDS, ROLES, STANCES, Document, Sentence, Span
from stance.model.classifier import ArgumentTagger, PairClassifier, TokenTagger
from stance.model.memory import Trimmer
from stance.model.part import PART_FILE, TAGGER, ModelError, PartInfo, PartLoader
from stance.model.tasks import component_inputs, decode_spans
from stance.pipeline.config import DOC_BATCH, PIPELINE_FILE, PipelineConfig, default_model_dir
from stance.pipeline.decide import abstain
from stance.pipeline.rollup import document_stance, link_claims
from stance.segment import has_words, split_sentences


class Pipeline:
    """Labels documents with sentence roles, spans and stance toward a target."""

    def __init__(
        self,
        directory: Path,
        config: PipelineConfig,
        overrides: dict[str, Path] | None = None,
        loader: PartLoader | None = None,
    ):
        self.directory = directory
        self.config = config
        self._paths = {task: directory / sub for task, sub in config.parts.items()}
        self._paths.update(overrides or {})
        if TAGGER in self._paths:  # it reads roles and spans, but an override wins its task
            for task in ("component", "span"):
                if task not in (overrides or {}):
                    self._paths.pop(task, None)
        # how a part directory becomes (model, tokenizer, info): torch fp32 unless `load`
        # chooses another part loader (stance/model/backends.py), as `runs_on` says
        self.loader: PartLoader = loader or _torch_part
        self.runs_on: dict[str, str | None] = {"backend": "torch", "quantize": None}
        self._trimmer = Trimmer()  # freed tensors go back to the OS (stance/model/memory.py)

    def __repr__(self) -> str:
        return f"Pipeline({self.directory}, parts={sorted(self._paths)})"

    @property
    def part_paths(self) -> dict[str, Path]:
        """Task → part directory, overrides included (what export and backends read)."""
        return dict(self._paths)

    @cached_property
    def component(self) -> PairClassifier | None:
        return (
            PairClassifier(*self.loader(self._paths["component"]))
            if "component" in self._paths
            else None
        )

    @cached_property
    def stance_model(self) -> PairClassifier | None:
        return (
            PairClassifier(*self.loader(self._paths["stance"])) if "stance" in self._paths else None
        )

    @cached_property
    def span(self) -> TokenTagger | None:
        return TokenTagger(*self.loader(self._paths["span"])) if "span" in self._paths else None

    @cached_property
    def tagger(self) -> ArgumentTagger | None:
        return ArgumentTagger(*self.loader(self._paths[TAGGER])) if TAGGER in self._paths else None

    def __call__(self, text: str, target: str | None = None, id: str | None = None) -> Document:
        doc = Document(id=id or "doc", text=text, source="", target=target)
        return next(iter(self.pipe([doc], target=target)))

    def pipe(
        self,
        texts: Iterable[str | Document],
        target: str | None = None,
        batch_size: int = DOC_BATCH,
    ) -> Iterator[Document]:
        """Stream documents through the models, batching sentences across documents."""
        chunk: list[Document] = []
        for i, item in enumerate(texts):
            doc = item if isinstance(item, Document) else Document(id=str(i), text=item)
            if target is not None and doc.target is None:
                doc = replace(doc, target=target)
            chunk.append(doc)
            if len(chunk) >= batch_size:
                yield from self.process(chunk)
                chunk = []
        if chunk:
            yield from self.process(chunk)

    def process(self, docs: list[Document]) -> list[Document]:
        """Label a batch of documents; error records pass through untouched."""
        out = list(docs)
        todo = [i for i, d in enumerate(out) if d.error is None]
        for i in todo:
            out[i] = replace(out[i], sentences=tuple(split_sentences(out[i].text)))
        if self.tagger:
            self._tag(out, todo)
        if self.component:
            self._roles(out, todo)
        if self.span:
            self._spans(out, todo)
        with_target = [i for i in todo if out[i].target]
        if with_target and self.stance_model:  # no target: the part is never loaded
            self._stances(out, with_target)
        self._trimmer.add(sum(len(out[i].sentences) for i in todo))
        return out

    def _roles(self, out: list[Document], todo: list[int]) -> None:
        """Each sentence with its neighbours as context; a line without words is ``none``
        without model work (``_no_words``)."""
        model = self.component
        assert model is not None
        firsts: list[str] = []
        seconds: list[str] = []
        for i in todo:
            a, b = component_inputs(out[i], model.info.context, model.info.context_chars)
            read = _worded(out[i])
            firsts += [t for t, keep in zip(a, read, strict=True) if keep]
            seconds += [t for t, keep in zip(b or [""] * len(a), read, strict=True) if keep]
        pairs = seconds if model.info.context > 0 else None
        logits, windowed = model.logits(firsts, pairs, long_side="first")
        probs = _probs(logits, model)
        k = 0
        for i in todo:
            sents = []
            for s, keep in zip(out[i].sentences, _worded(out[i]), strict=True):
                if not keep:
                    sents.append(_no_words(s))
                    continue
                sents.append(_with_role(s, probs[k], model.labels, windowed[k]))
                k += 1
            out[i] = replace(out[i], sentences=tuple(sents))

    def _spans(self, out: list[Document], todo: list[int]) -> None:
        from stance.segment import word_spans

        model = self.span
        assert model is not None
        offsets = [word_spans(out[i].text) for i in todo]
        words = [[out[i].text[a:b] for a, b in offs] for i, offs in zip(todo, offsets, strict=True)]
        for i, offs, probs in zip(todo, offsets, model.word_proba(words), strict=True):
            out[i] = replace(out[i], spans=_decoded_spans(out[i].text, offs, probs, model.labels))

    def _tag(self, out: list[Document], todo: list[int]) -> None:
        """Roles and spans from the argument tagger: one pass per window of sentences, the
        windows of all documents batched by length; a part given as override keeps its task."""
        model = self.tagger
        assert model is not None
        roles, spans = "component" not in self._paths, "span" not in self._paths
        for i, tagged in zip(todo, model.predict([out[i] for i in todo]), strict=True):
            doc = out[i]
            if roles:
                rows = zip(doc.sentences, tagged.role_probs, tagged.truncated, strict=True)
                sents = tuple(
                    _with_role(s, p, model.role_labels, cut) if has_words(s.text) else _no_words(s)
                    for s, p, cut in rows
                )
                doc = replace(doc, sentences=sents)
            if spans:
                found = _decoded_spans(doc.text, tagged.words, tagged.word_probs, model.labels)
                doc = replace(doc, spans=found)
            out[i] = doc

    def _stances(self, out: list[Document], todo: list[int]) -> None:
        """Each sentence with words against the target, plus the whole text (windowed), then
        the roll-up; a line without words gets ``none`` and no vote."""
        model = self.stance_model
        assert model is not None
        read = {i: _worded(out[i]) for i in todo}
        pairs = [
            (out[i].target or "", s.text)
            for i in todo
            for s, keep in zip(out[i].sentences, read[i], strict=True)
            if keep
        ]
        pairs += [(out[i].target or "", out[i].text) for i in todo]  # the whole texts, last
        targets, texts = [t for t, _ in pairs], [x for _, x in pairs]
        logits, _ = model.logits(targets, texts, long_side="second")
        probs = _probs(logits, model)
        labels = abstain(probs, model.labels, self.config.stance_threshold)
        k = 0
        for n, i in enumerate(todo):
            doc = out[i]
            sents = []
            for s, keep in zip(doc.sentences, read[i], strict=True):
                if not keep:
                    sents.append(replace(s, stance="none", stance_scores=_only("none", STANCES)))
                    continue
                scores = _scores(probs[k], model.labels, STANCES)
                sents.append(replace(s, stance=labels[k], stance_scores=scores))
                k += 1
            whole = Sentence(
                index=-1,
                start=0,
                end=len(doc.text),
                text=doc.text,
                role="claim",
                role_scores={"claim": self.config.doc_weight},
                stance_scores=_scores(probs[len(targets) - len(todo) + n], model.labels, STANCES),
            )
            rollup = document_stance(
                [*sents, whole],
                role_weights=self.config.role_weights or None,
                threshold=self.config.stance_threshold,
            )
            meta = {**doc.meta, "main_claims": link_claims(sents)}
            out[i] = replace(doc, sentences=tuple(sents), stance=rollup, meta=meta)


def _worded(doc: Document) -> list[bool]:
    """Per sentence, whether it has words to read (``stance.segment.has_words``)."""
    return [has_words(s.text) for s in doc.sentences]


def _no_words(s: Sentence) -> Sentence:
    """A line without words (no argument, no model work): role ``none``, flagged."""
    return replace(s, role="none", role_scores=_only("none", ROLES), flags=(*s.flags, NO_WORDS))


def _only(label: str, order: tuple[str, ...]) -> dict[str, float]:
    return {k: 1.0 if k == label else 0.0 for k in order}


def _with_role(s: Sentence, probs: np.ndarray, labels: tuple[str, ...], windowed: bool) -> Sentence:
    """The sentence with its role, role scores and (read in windows, or cut) its flag."""
    scores = _scores(probs, labels, ROLES)
    role = max(scores, key=scores.__getitem__)
    flags = s.flags + (("windowed",) if windowed else ())
    return replace(s, role=role, role_scores=scores, flags=flags)


def _decoded_spans(
    text: str, words: list[tuple[int, int]], probs: np.ndarray, labels: tuple[str, ...]
) -> tuple[Span, ...]:
    """Spans decoded from word BIO probabilities (``decode_spans``; MajorClaim is a claim)."""
    tags = [labels[int(p.argmax())].replace("majorclaim", "claim") for p in probs]
    conf = [float(p.max()) for p in probs]
    return tuple(decode_spans(text, words, tags, conf))


def _probs(logits: np.ndarray, part: PairClassifier) -> np.ndarray:
    from stance.model.classifier import softmax

    return softmax(logits, part.info.temperature)


def _scores(row: np.ndarray, labels: tuple[str, ...], order: tuple[str, ...]) -> dict[str, float]:
    by_label = {label: float(p) for label, p in zip(labels, row, strict=True)}
    return {k: by_label.get(k, 0.0) for k in order}


def _torch_part(path: Path) -> tuple[Any, Any, PartInfo]:
    """The default part loader: torch fp32, as ``stance.model.backends`` prepares it."""
    from stance.model.backends import part_loader

    return part_loader()(path)


def load(
    model: str | Path | None = None, *, backend: str = "torch", quantize: str | None = "auto"
) -> Pipeline:
    """A pipeline directory, a single task checkpoint (other parts from the default), or None.

    ``quantize="auto"`` runs the encoders as the pipeline's manifest says (``quantize`` in
    ``pipeline.json``: ``"int8"`` for the shipped default, whose dev scores it keeps within
    noise; docs/benchmarks.md); ``"int8"`` or ``None`` choose. ``backend="fp32"`` is plain
    torch fp32, ``backend="onnx"`` ONNX Runtime (a pipeline written by ``stance export onnx``
    says so in its manifest). ``Pipeline.runs_on`` records what was chosen.
    """
    from stance.model.backends import part_loader, runs_as

    nlp = _open(model)
    if nlp.config.meta.get("backend") == "onnx":
        backend = "onnx"
    backend, quantize = runs_as(backend, quantize, nlp.config.quantize)
    nlp.runs_on = {"backend": backend, "quantize": quantize}
    if backend != "torch" or quantize is not None:
        nlp.loader = part_loader(backend, quantize)
    return nlp


def _open(model: str | Path | None) -> Pipeline:
    path = Path(model) if model else default_model_dir()
    if (path / PIPELINE_FILE).exists():
        return Pipeline(path, PipelineConfig.read(path))
    if (path / PART_FILE).exists() or (path / "config.json").exists():
        info = PartInfo.load(path)
        default = default_model_dir()
        if (default / PIPELINE_FILE).exists():
            return Pipeline(default, PipelineConfig.read(default), overrides={info.task: path})
        return Pipeline(path.parent, PipelineConfig(parts={info.task: path.name}))
    if model and not path.exists() and "/" in str(model):
        raise ModelError(
            f"{model}: not a local directory. Train a task checkpoint from a hub encoder with "
            f"`stance train --base {model}`; pipelines are directories."
        )
    raise ModelError(
        f"{path}: not a stance pipeline ({PIPELINE_FILE}) or task checkpoint ({PART_FILE})"
    )
