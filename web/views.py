"""The pages of thidua serve, each with its JSON twin at the same path with `.json` (Datasette's pattern).

For the council: the agencies and their years, a folder's verdict table with margins and reasons
and its findings, a target's explanation down to each person and the fact's file and line, the
worksheet per title with quotas, the three documents. For admins: the roster uploaded from Excel
(located errors by sheet and row), a rule file edited with validation as they type, the folder's
own rule tests. For auditors: the recorded runs, a diff of two runs, the chain verified, a target
as an old run judged it. A page evaluates only when asked (a form), in the worker pool, and shows
the progress of a long evaluation; every other page reads the ledger.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from thidua.evaluator.app import tasks
from thidua.evaluator.app.errors import AppError
from thidua.web import reading
from thidua.web.app import Job, Problems, Refused, Service, page, request_lang, run_in_threadpool, service_of
from thidua.web.pages import url

router = APIRouter(include_in_schema=False)


def twin(request: Request, data: dict[str, Any], template: str, path: str, status: int = 200) -> Response:
    """The page `template` rendered from `data`, or `data` itself when the path ends with `.json`."""
    if request.url.path.endswith(".json"):
        return JSONResponse(data, status_code=status)
    return page(request, template, data, path + ".json", status)


def _folder(request: Request) -> str:
    return request.query_params.get("folder") or "."


def _error_page(request: Request, status: int, body: dict[str, Any]) -> Response:
    return twin(
        request,
        {"error": body, "folder": _folder(request)},
        "error.html",
        request.url.path.removesuffix(".json"),
        status,
    )


async def _guarded(request: Request, make: Callable[[], Awaitable[Response]]) -> Response:
    try:
        return await make()
    except AppError as exc:
        return _error_page(request, exc.status, exc.to_dict(request_lang(request)))
    except Refused as exc:
        return _error_page(request, exc.status, exc.body)
    except Problems as exc:
        return _error_page(request, 422, {"problems": exc.problems})


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, Any]:
    service = service_of(request)
    return {"ok": True, "version": request.app.version, "pending": service.workers.pending}


@router.get("/")
@router.get("/index.json")
async def index(request: Request) -> Response:
    async def make() -> Response:
        data = await run_in_threadpool(reading.agencies, service_of(request).workspace)
        return twin(request, data, "index.html", "/index")

    return await _guarded(request, make)


@router.get("/agency")
@router.get("/agency.json")
async def agency(request: Request) -> Response:
    """A folder's verdicts as the latest run on its current files recorded them; or a form to evaluate."""

    async def make() -> Response:
        service = service_of(request)
        rel, lang = _folder(request), request_lang(request)
        info = service.workspace.agency(rel)
        evaluation = await run_in_threadpool(reading.recorded_evaluation, service.workspace, rel, lang)
        data = {
            "folder": info.folder,
            "name": info.name,
            "period": info.period,
            "evaluation": evaluation,
            "job": _running(service, info.folder),
        }
        return twin(request, data, "agency.html", "/agency")

    return await _guarded(request, make)


def _running(service: Service, folder: str) -> str | None:
    for key, job in service.jobs.items():
        if job.folder == folder and job.result is None:
            return key
    return None


@router.post("/agency/evaluate")
async def start_evaluation(request: Request) -> Response:
    """Evaluate the folder in the pool and record the run; the page polls its progress (/jobs/ID)."""

    async def make() -> Response:
        service = service_of(request)
        form = await request.form()
        rel = str(form.get("folder") or ".")
        path = service.workspace.folder(rel)
        rel = service.workspace.rel(path)
        lang = request_lang(request)
        running = _running(service, rel)
        if running is None:
            running = uuid.uuid4().hex
            progress = service.scratch / f"{running}.progress"
            future = service.workers.submit(
                tasks.evaluation, str(path), str(path), lang, False, True, None, str(progress)
            )
            job = Job(rel, asyncio.wrap_future(future), progress, lang, started=time.monotonic())
            service.jobs[running] = job
            _forget_old_jobs(service)
        return RedirectResponse(url("/jobs/" + running), status_code=303)

    return await _guarded(request, make)


def _forget_old_jobs(service: Any, keep: int = 50) -> None:
    finished = [k for k, j in service.jobs.items() if j.future.done()]
    for key in finished[: max(0, len(service.jobs) - keep)]:
        job = service.jobs.pop(key)
        job.progress.unlink(missing_ok=True)


@router.get("/jobs/{key}")
@router.get("/jobs/{key}.json")
async def job_status(request: Request, key: str) -> Response:
    """How far an evaluation is; when it is done, where its verdicts are (htmx polls this)."""
    service = service_of(request)
    job = service.jobs.get(key.removesuffix(".json"))
    if job is None:
        return _error_page(request, 404, AppError("serve.no_job").to_dict(request_lang(request)))
    data: dict[str, Any] = {"job": key.removesuffix(".json"), "folder": job.folder, "done": job.future.done()}
    try:
        data["progress"] = json.loads(job.progress.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data["progress"] = None
    data["seconds"] = round(time.monotonic() - job.started, 1)
    if job.future.done():
        result = job.future.result()
        job.result = result
        data["problems"] = result.problems
        data["refusal"] = result.refusal
        data["run"] = result.value["seq"] if result.ok else None
        if result.ok and request.headers.get("hx-request") and not request.url.path.endswith(".json"):
            response = Response(status_code=200)
            response.headers["HX-Redirect"] = url("/agency", folder=job.folder)
            return response
    template = "job_fragment.html" if request.headers.get("hx-request") else "job.html"
    return twin(request, data, template, "/jobs/" + key.removesuffix(".json"))


@router.get("/explain")
@router.get("/explain.json")
async def explain_page(request: Request) -> Response:
    async def make() -> Response:
        service = service_of(request)
        rel, lang = _folder(request), request_lang(request)
        target = request.query_params.get("target") or ""
        entity = request.query_params.get("entity") or None
        path = str(service.workspace.folder(rel))
        value = await service.run(tasks.explanation, path, target, entity, 25, lang)
        data = {"folder": rel, "target": target, "entity": entity, **value}
        return twin(request, data, "explain.html", "/explain")

    return await _guarded(request, make)


@router.get("/fact")
@router.get("/fact.json")
async def fact(request: Request) -> Response:
    async def make() -> Response:
        rel = _folder(request)
        name = request.query_params.get("file") or ""
        line = request.query_params.get("line") or "1"
        data = await run_in_threadpool(
            reading.fact_lines, service_of(request).workspace, rel, name, int(line) if line.isdigit() else 1
        )
        return twin(request, data, "fact.html", "/fact")

    return await _guarded(request, make)


@router.get("/candidates")
@router.get("/candidates.json")
async def candidates_page(request: Request) -> Response:
    async def make() -> Response:
        service = service_of(request)
        rel, lang = _folder(request), request_lang(request)
        title = request.query_params.get("title") or None
        path = str(service.workspace.folder(rel))
        value = await service.run(tasks.worksheet, path, title, None, 25, lang)
        data = {"folder": rel, **value}
        return twin(request, data, "candidates.html", "/candidates")

    return await _guarded(request, make)


@router.get("/admin")
@router.get("/admin.json")
async def admin(request: Request) -> Response:
    async def make() -> Response:
        service = service_of(request)
        rel = _folder(request)
        info = service.workspace.agency(rel)
        data = {"folder": info.folder, "name": info.name, "period": info.period, "files": service.workspace.files(rel)}
        return twin(request, data, "admin.html", "/admin")

    return await _guarded(request, make)


@router.post("/admin/upload")
async def admin_upload(request: Request) -> Response:
    """The roster (or any fact file) checked with the folder's rules; saved and evaluated when clean,
    else the located errors (sheet, row, column) and nothing written."""

    async def make() -> Response:
        from thidua.web.api import read_upload

        service = service_of(request)
        lang = request_lang(request)
        form = await request.form(max_files=1, max_fields=20)
        rel = str(form.get("folder") or ".")
        upload = form.get("file")
        path = service.workspace.folder(rel)
        info = service.workspace.agency(rel)
        base = {"folder": info.folder, "name": info.name, "period": info.period, "files": service.workspace.files(rel)}
        if upload is None or isinstance(upload, str) or not upload.filename:
            return twin(request, {**base, "upload": {"problems": [], "missing": True}}, "admin.html", "/admin", 422)
        name = Path(upload.filename).name
        try:
            data = await read_upload(upload, name, lang)
            value = await service.run(tasks.save_file, str(path), name, data, lang, None)
        except Problems as exc:
            return twin(
                request, {**base, "upload": {"name": name, "problems": exc.problems}}, "admin.html", "/admin", 422
            )
        saved = {"name": value["name"], "run": value["seq"], "warnings": value["check"]["warnings"]}
        evaluation = orjson.loads(value["evaluation"])
        return twin(request, {**base, "upload": {"saved": saved, "evaluation": evaluation}}, "admin.html", "/admin")

    return await _guarded(request, make)


@router.get("/admin/rules")
@router.get("/admin/rules.json")
async def rule_editor(request: Request) -> Response:
    async def make() -> Response:
        service = service_of(request)
        rel = _folder(request)
        name = request.query_params.get("name") or ""
        if name not in service.workspace.files(rel) or not name.endswith((".rules.yaml", ".rules.yml")):
            raise AppError("serve.no_file", name=name)
        text = (service.workspace.folder(rel) / name).read_text(encoding="utf-8")
        data = {"folder": rel, "name": name, "text": text, "check": None}
        return twin(request, data, "rules.html", "/admin/rules")

    return await _guarded(request, make)


@router.post("/admin/check")
async def rule_check(request: Request) -> Response:
    """Validation as the admin types (htmx): the problems of the text as it stands, nothing written."""

    async def make() -> Response:
        service = service_of(request)
        form = await request.form(max_fields=20)
        rel, name, text = str(form.get("folder") or "."), str(form.get("name") or ""), str(form.get("text") or "")
        path = service.workspace.folder(rel)
        check = await service.run(tasks.check_file, str(path), name, text.encode("utf-8"), request_lang(request))
        return page(
            request, "check_fragment.html", {"check": check, "folder": rel, "name": name}, "/api/v1/check/" + name
        )

    return await _guarded(request, make)


@router.post("/admin/rules")
async def rule_save(request: Request) -> Response:
    async def make() -> Response:
        service = service_of(request)
        form = await request.form(max_fields=20)
        rel, name, text = str(form.get("folder") or "."), str(form.get("name") or ""), str(form.get("text") or "")
        path = service.workspace.folder(rel)
        data: dict[str, Any] = {"folder": rel, "name": name, "text": text}
        try:
            value = await service.run(
                tasks.save_file, str(path), name, text.encode("utf-8"), request_lang(request), None
            )
        except Problems as exc:
            data["check"] = {"errors": exc.problems, "warnings": []}
            return twin(request, data, "rules.html", "/admin/rules", 422)
        data["check"] = value["check"]
        data["saved"] = {"run": value["seq"]}
        return twin(request, data, "rules.html", "/admin/rules")

    return await _guarded(request, make)


@router.get("/admin/tests")
@router.get("/admin/tests.json")
async def rule_tests_page(request: Request) -> Response:
    async def make() -> Response:
        service = service_of(request)
        rel = _folder(request)
        value = await service.run(tasks.rule_tests, str(service.workspace.folder(rel)), request_lang(request))
        return twin(request, {"folder": rel, **value}, "tests.html", "/admin/tests")

    return await _guarded(request, make)


@router.get("/runs")
@router.get("/runs.json")
async def runs_page(request: Request) -> Response:
    async def make() -> Response:
        rel = _folder(request)
        data = await run_in_threadpool(reading.runs_of, service_of(request).workspace, rel)
        return twin(request, {"folder": rel, **data}, "runs.html", "/runs")

    return await _guarded(request, make)


@router.get("/diff")
@router.get("/diff.json")
async def diff_page(request: Request) -> Response:
    async def make() -> Response:
        from thidua.web.api import _user_errors

        rel = _folder(request)
        a, b = request.query_params.get("a") or "", request.query_params.get("b") or ""
        data = await run_in_threadpool(_user_errors, reading.diff_of, service_of(request).workspace, rel, a, b)
        return twin(request, {"folder": rel, **data}, "diff.html", "/diff")

    return await _guarded(request, make)


@router.get("/verify")
@router.get("/verify.json")
async def verify_page(request: Request) -> Response:
    async def make() -> Response:
        from thidua.web.api import _user_errors

        rel, lang = _folder(request), request_lang(request)
        data = await run_in_threadpool(_user_errors, reading.verify_of, service_of(request).workspace, rel, lang)
        return twin(request, {"folder": rel, **data}, "verify.html", "/verify")

    return await _guarded(request, make)


@router.get("/runs/{run}/explain")
@router.get("/runs/{run}/explain.json")
async def run_explain_page(request: Request, run: str) -> Response:
    async def make() -> Response:
        service = service_of(request)
        rel, lang = _folder(request), request_lang(request)
        target = request.query_params.get("target") or ""
        path = str(service.workspace.folder(rel))
        value = await service.run(tasks.run_explanation, path, run.removesuffix(".json"), target, None, 25, lang, None)
        data = {"folder": rel, "target": target, "explanation": value, "from_run": None, "old_run": value.get("run")}
        return twin(request, data, "explain.html", f"/runs/{run.removesuffix('.json')}/explain")

    return await _guarded(request, make)


@router.get("/lang/{code}")
async def switch_lang(request: Request, code: str) -> Response:
    back = request.query_params.get("next") or "/"
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if code in ("vi", "en"):
        response.set_cookie("thidua_lang", code, samesite="strict")
    return response


__all__ = ["HTMLResponse", "router"]
