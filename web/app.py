"""The thidua serve application: the JSON API under /api/v1 and the pages, over the application layer.

One FastAPI application per served folder (`create_app`). Reading answers (the verdict table, a
worksheet, a person's explanation) come from the ledger when a recorded run on the very files can
answer; everything that evaluates runs in the worker pool (evaluator/app/pool.py), never in this
process, so the server stays responsive during a 20,000-person evaluation and its memory stays its
own. Every page is the rendering of the data its `.json` twin returns (a Link rel=alternate header
says where). Safety: loopback only until users exist, the Host header checked (DNS rebinding), a
CSRF token on every form and unsafe request, uploads bounded as files on disk, every `folder`
confined to the served one (evaluator/app/workspace.py).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from thidua.evaluator.app import tasks
from thidua.evaluator.app.errors import AppError
from thidua.evaluator.app.pool import Workers
from thidua.evaluator.app.workspace import Workspace
from thidua.web import reading
from thidua.web.pages import LANGS, render_page, url

CSRF_COOKIE = "thidua_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
LANG_COOKIE = "thidua_lang"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
STATIC = Path(__file__).resolve().parent / "static"


@dataclass
class Job:
    """An evaluation started from a page: its future, its progress file, the folder it evaluates."""

    folder: str
    future: asyncio.Future[tasks.Result]
    progress: Path
    lang: str
    result: tasks.Result | None = None
    started: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class Problems(Exception):
    """Bad input found by an operation: answered 422 with the located problems."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("problems")
        self.problems = problems


class Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("code", "refused"))
        self.status, self.body = status, body


@dataclass
class Service:
    """What the routes share: the served folder, the worker pool, the jobs started from pages."""

    workspace: Workspace
    workers: Workers
    jobs: dict[str, Job] = field(default_factory=dict)
    scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="thidua-serve-")))

    async def run(self, func: Callable[..., tasks.Result], *args: Any) -> Any:
        """Run a task in the pool; its value, or Problems / Refused."""
        result = await asyncio.wrap_future(self.workers.submit(func, *args))
        return unwrap(result)


def unwrap(result: tasks.Result) -> Any:
    if result.problems is not None:
        raise Problems(result.problems)
    if result.refusal is not None:
        raise Refused(int(result.refusal.pop("status", 400)), result.refusal)
    return result.value


def request_lang(request: Request) -> str:
    """The reader's language: ?lang=, else the one they chose before (a cookie), else the server's
    (`thidua serve --lang`, THIDUA_LANG; Vietnamese by default)."""
    default: str = getattr(request.app.state, "lang", "vi")
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or default
    return asked if asked in LANGS else default


def csrf_token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE)
    return token if token and len(token) == 43 else request.state.new_csrf


def create_app(
    root: Path, workers: Workers | None = None, allowed_hosts: list[str] | None = None, lang: str = "vi"
) -> FastAPI:
    """The application serving `root` (an agency folder or a folder of agencies); pages and messages
    in `lang` unless the reader chooses."""
    service = Service(Workspace(root), workers or Workers())
    app = FastAPI(
        title="thidua",
        summary="Emulation targets judged from declarative rule files: verdicts, explanations, worksheets, audit.",
        version=_version(),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_stopping(service),
    )
    app.state.service = service
    app.state.lang = lang if lang in LANGS else "vi"
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or LOOPBACK_HOSTS)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """CSRF (a token in a SameSite cookie, sent back in the form or a header on every unsafe
        request) and the request body bounded as files on disk are."""
        request.state.new_csrf = secrets.token_urlsafe(32)
        if request.method in UNSAFE:
            size = request.headers.get("content-length")
            if size is not None and (not size.isdigit() or int(size) > reading.MAX_BODY):
                return _json_error(request, 413, "serve.too_large", limit=reading.MAX_BODY)
            if size is None and "chunked" in request.headers.get("transfer-encoding", ""):
                return _json_error(request, 411, "serve.too_large", limit=reading.MAX_BODY)
            cookie = request.cookies.get(CSRF_COOKIE)
            sent = request.headers.get(CSRF_HEADER)
            if sent is None and request.headers.get("content-type", "").startswith(
                ("multipart/form-data", "application/x-www-form-urlencoded")
            ):
                # the body read whole first (bounded above): the route reads its form again from it,
                # which a form parsed from the stream here would leave empty
                await request.body()
                form = await request.form(max_files=1, max_fields=20)
                value = form.get(CSRF_FIELD)
                sent = value if isinstance(value, str) else None
            if not cookie or not sent or not secrets.compare_digest(cookie, sent):
                return _json_error(request, 403, "serve.csrf")
        response = await call_next(request)
        if CSRF_COOKIE not in request.cookies:
            response.set_cookie(CSRF_COOKIE, request.state.new_csrf, httponly=False, samesite="strict")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        )
        return response

    @app.exception_handler(Problems)
    async def problems(request: Request, exc: Problems) -> Response:
        return JSONResponse({"problems": exc.problems}, status_code=422)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return JSONResponse(exc.body, status_code=exc.status)

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        return JSONResponse(exc.to_dict(request_lang(request)), status_code=exc.status)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    from thidua.web import api, views

    app.include_router(api.router)
    app.include_router(views.router)
    return app


def _stopping(service: Service) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The application's lifespan: when the server stops, the worker pool stops with it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        service.workers.close()

    return lifespan


def _json_error(request: Request, status: int, code: str, **params: Any) -> Response:
    from thidua.rules.messages import render

    return JSONResponse({"code": code, "message": render(code, request_lang(request), **params)}, status_code=status)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("thidua")
    except PackageNotFoundError:  # pragma: no cover
        return "0"


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def page(request: Request, name: str, data: dict[str, Any], json_path: str, status: int = 200) -> Response:
    """An HTML page rendered from `data`, with a Link header to its JSON twin (`json_path`)."""
    lang = request_lang(request)
    html = render_page(
        name,
        lang,
        csrf_token(request),
        request=request,
        data=data,
        here=str(request.url.path),
        query=dict(request.query_params),
    )
    response = HTMLResponse(html, status_code=status)
    twin = url(json_path, **{k: v for k, v in request.query_params.items()})
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, request_lang(request), samesite="strict")
    return response


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


__all__ = [
    "Job",
    "Problems",
    "Refused",
    "Service",
    "create_app",
    "page",
    "redirect",
    "run_in_threadpool",
    "service_of",
    "unwrap",
    "uuid",
    "json",
    "Query",
]
