"""REST API and web page (``stance serve``).

The model is built once, on first use (or at startup with ``preload``), and every model call
runs on a small thread pool: a burst of requests queues there instead of multiplying memory,
and once the queue is full the server answers 503 at once rather than piling up work.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from stance.doc import Document
from stance.io.html import STYLE_PATH, render_document

PAGE_TITLE = "Résultat de l’analyse"  # heading of the result on the web page
_NBSP = "\u00a0"  # French typography: no-break space before « : »

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
T = TypeVar("T")
_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"description": "Text longer than max_chars, or batch larger than max_batch"},
    503: {"description": "Too many analyses queued; retry after Retry-After seconds"},
}


class DocumentIn(BaseModel):
    """One text to analyse."""

    text: str = Field(description="The text, as is; offsets in the answer index into it.")
    target: str | None = Field(None, description="Stance target; null: roles only, no stance.")
    id: str | None = Field(None, description="Echoed in the record (default: the index).")


class LabelIn(BaseModel):
    """A batch of texts, each with its own optional target and id."""

    documents: list[DocumentIn]


class _Model:
    """Builds the pipeline once, whichever thread asks first; a failed build is retried."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._nlp: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    def get(self) -> Any:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    self._nlp = self._factory()
        return self._nlp


class _Gate:
    """Runs model calls on ``workers`` threads, refusing work past ``max_queue`` waiting calls.

    A call is counted until its thread finishes (not until its client leaves), so clients
    that disconnect cannot grow the hidden queue of the pool.
    """

    def __init__(self, workers: int, max_queue: int) -> None:
        self._workers = max(1, workers)
        self._limit = self._workers + max(0, max_queue)
        self._pending = 0
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def _release(self, _: Future[Any]) -> None:
        with self._lock:
            self._pending -= 1

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        with self._lock:
            if self._pending >= self._limit:
                raise HTTPException(
                    503,
                    detail=f"server busy: {self._pending} analyses running or queued; retry later",
                    headers={"Retry-After": "2"},
                )
            self._pending += 1
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="stance-model")
            future = self._pool.submit(fn, *args)
        future.add_done_callback(self._release)
        return future

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self.submit(fn, *args))

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _too_long(text: str, max_chars: int, where: str) -> None:
    if len(text) > max_chars:
        raise HTTPException(
            413,
            detail=f"{where}: text has {len(text)} characters, more than the limit of "
            f"{max_chars}; split it into smaller documents",
        )


def _error_doc(item: DocumentIn, doc_id: str, exc: Exception) -> Document:
    return Document(id=doc_id, text=item.text, target=item.target).with_error(
        type(exc).__name__, str(exc) or repr(exc)
    )


def _label_group(nlp: Any, items: list[tuple[str, DocumentIn]], batch: int) -> list[Document]:
    """Documents sharing one target, batched; if the batch fails, each one alone."""
    target = items[0][1].target
    try:
        docs = list(nlp.pipe([it.text for _, it in items], target=target, batch_size=batch))
        return [replace(doc, id=doc_id) for (doc_id, _), doc in zip(items, docs, strict=True)]
    except Exception:
        log.exception("batch failed; retrying its %d documents one by one", len(items))
    out = []
    for doc_id, it in items:
        try:
            out.append(nlp(it.text, target=target, id=doc_id))
        except Exception as exc:  # one record per input, errors included
            out.append(_error_doc(it, doc_id, exc))
    return out


def label_documents(nlp: Any, items: list[DocumentIn], batch_size: int) -> list[Document]:
    """Label a batch in input order, one ``pipe`` call per distinct target."""
    groups: dict[str | None, list[tuple[int, DocumentIn]]] = {}
    for i, it in enumerate(items):
        groups.setdefault(it.target, []).append((i, it))
    results: dict[int, Document] = {}
    for members in groups.values():
        ids = [(m.id if m.id is not None else str(i), m) for i, m in members]
        docs = _label_group(nlp, ids, batch_size)
        results.update((i, d) for (i, _), d in zip(members, docs, strict=True))
    return [results[i] for i in range(len(items))]


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = str(body.get("schema", {}).get("$ref", "")).rsplit("/", 1)[-1]
    body_html = f'<p>Corps JSON{_NBSP}: <a href="#schema-{ref}">{ref}</a></p>' if ref else ""
    codes = " · ".join(
        f"<b>{code}</b> {escape(r.get('description', ''))}"
        for code, r in op.get("responses", {}).items()
    )
    desc = escape(op.get("description", "")).replace("\n", "<br>")
    return (
        f'<section class="card"><h2><code>{method.upper()} {escape(path)}</code> '
        f"{escape(op.get('summary', ''))}</h2><p>{desc}</p>{body_html}"
        f'<p class="counter">Réponses{_NBSP}: {codes}</p></section>'
    )


def docs_page(spec: dict[str, Any]) -> str:
    """API documentation that works offline (FastAPI's default /docs loads from a CDN)."""
    ops = "".join(
        _operation(path, method, op)
        for path, methods in spec.get("paths", {}).items()
        for method, op in methods.items()
    )
    schemas = "".join(
        f'<section class="card" id="schema-{escape(name)}"><h3>{escape(name)}</h3>'
        f"<pre>{escape(json.dumps(schema, indent=2, ensure_ascii=False))}</pre></section>"
        for name, schema in spec.get("components", {}).get("schemas", {}).items()
    )
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>API stance</title>'
        '<link rel="stylesheet" href="/static/style.css"></head><body><div class="page">'
        '<header class="page-head"><h1>API <span class="logo">stance</span></h1>'
        f'<p>Spécification OpenAPI complète{_NBSP}: <a href="/openapi.json">/openapi.json</a> · '
        '<a href="/">page d’analyse</a></p></header>'
        f"{ops}<h2>Schémas</h2>{schemas}</div></body></html>"
    )


def _body_limit(max_chars: int, max_batch: int) -> int:
    """Bytes a valid request can take: 6 per character covers JSON ``\\uXXXX`` escapes."""
    return max_chars * max(1, max_batch) * 6 + 2**20


def _lifespan(model: _Model, gate: _Gate, preload: bool) -> Any:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if preload:
            await gate.run(model.get)
        yield
        gate.shutdown()

    return lifespan


@dataclass(frozen=True)
class _Service:
    """What the routes share: the lazily built model, the gate, and the limits."""

    model: _Model
    gate: _Gate
    max_chars: int
    max_batch: int
    workers: int

    async def analyse(self, item: DocumentIn) -> Document:
        _too_long(item.text, self.max_chars, "text")
        nlp = await self.gate.run(self.model.get)
        try:
            return await self.gate.run(lambda: nlp(item.text, target=item.target, id=item.id))
        except Exception as exc:
            log.exception("prediction failed")
            raise HTTPException(500, detail=f"{type(exc).__name__}: {exc}") from exc

    async def label(self, batch: LabelIn) -> list[Document]:
        if len(batch.documents) > self.max_batch:
            n = len(batch.documents)
            raise HTTPException(
                413, detail=f"{n} documents, more than the limit of {self.max_batch}"
            )
        for i, item in enumerate(batch.documents):
            _too_long(item.text, self.max_chars, f"documents[{i}]")
        nlp = await self.gate.run(self.model.get)
        return await self.gate.run(label_documents, nlp, batch.documents, self.max_batch)


def _add_body_limit(app: FastAPI, limit: int) -> None:
    """Refuse oversized bodies from their Content-Length, before they are read and parsed."""

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Any]) -> Response:
        size = request.headers.get("content-length", "")
        if size.isdigit() and int(size) > limit:
            msg = f"request body of {size} bytes exceeds the limit of {limit}"
            return JSONResponse({"detail": msg}, status_code=413)
        response: Response = await call_next(request)
        return response


def _add_api(app: FastAPI, svc: _Service, model_name: str) -> None:
    @app.post("/predict", summary="Analyse one text", responses=_RESPONSES)
    async def predict(item: DocumentIn) -> dict[str, Any]:
        """The document record: sentences with role and stance, spans, verdict."""
        return (await svc.analyse(item)).to_dict()

    @app.post("/render", summary="Analyse one text, rendered as HTML", responses=_RESPONSES)
    async def render(item: DocumentIn) -> dict[str, Any]:
        """{"record": document record, "html": HTML fragment styled by /static/style.css}.
        The web page uses it, so highlighting is written once, in stance.io.html."""
        doc = await svc.analyse(item)
        html = render_document(doc, title=PAGE_TITLE, show_id=item.id is not None)
        return {"record": doc.to_dict(), "html": html}

    @app.post("/label", summary="Analyse a batch of texts", responses=_RESPONSES)
    async def label(batch: LabelIn) -> dict[str, Any]:
        """{"records": [...]}: one record per input, in input order; a document that fails gets
        an error record. Ids default to the position in the batch."""
        return {"records": [d.to_dict() for d in await svc.label(batch)]}

    @app.get("/health", summary="Liveness and configuration")
    async def health() -> dict[str, Any]:
        limits = {"max_chars": svc.max_chars, "max_batch": svc.max_batch, "workers": svc.workers}
        return {"status": "ok", "model": model_name, "loaded": svc.model.loaded, "limits": limits}


def _add_pages(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    @app.get("/static/style.css", include_in_schema=False)
    async def style() -> FileResponse:  # one stylesheet for the page and the HTML writer
        return FileResponse(STYLE_PATH, media_type="text/css")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def create_app(
    nlp_factory: Callable[[], Any],
    *,
    max_chars: int = 100_000,
    max_batch: int = 32,
    workers: int = 2,
    max_queue: int = 64,
    model_name: str = "default",
    preload: bool = False,
) -> FastAPI:
    """The API (``/predict``, ``/label``, ``/render``, ``/health``), the page ``/``, ``/docs``.

    ``nlp_factory`` is called once, on the first request (or at startup with ``preload``);
    model calls run on ``workers`` threads with at most ``max_queue`` more waiting (then 503).
    """
    model, gate = _Model(nlp_factory), _Gate(workers, max_queue)
    app = FastAPI(
        title="stance",
        summary="Argument mining and stance detection for French texts.",
        docs_url=None,  # the default pages load their scripts from a CDN; /docs is local
        redoc_url=None,
        lifespan=_lifespan(model, gate, preload),
    )
    _add_body_limit(app, _body_limit(max_chars, max_batch))
    _add_api(app, _Service(model, gate, max_chars, max_batch, workers), model_name)
    _add_pages(app)
    return app


def serve(host: str = "127.0.0.1", port: int = 8000, model: str | None = None) -> None:
    """Run the server with uvicorn; the model is loaded before the first request is accepted."""
    import uvicorn

    import stance

    app = create_app(lambda: stance.load(model), model_name=model or "default", preload=True)
    uvicorn.run(app, host=host, port=port)
