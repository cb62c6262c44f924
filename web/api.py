"""The JSON API under /api/v1, described by OpenAPI at /api/v1/openapi.json.

Each route takes the folder relative to the served one (`folder=`), the reader's language (`lang=`)
and returns what the command of the same name writes with `--format json`: `evaluation` is byte for
byte the body of `thidua evaluate FOLDER --format json` (compact) and records the run as it does.
Bad input in the folder's files answers 422 with the located problems; a folder outside the served
one 403; an unknown folder, run or target 404.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile as StarletteUpload

from thidua.evaluator.app import tasks
from thidua.evaluator.app.authoring import limit_for
from thidua.evaluator.app.errors import AppError
from thidua.web import reading
from thidua.web.app import Problems, csrf_token, request_lang, run_in_threadpool, service_of

router = APIRouter(prefix="/api/v1", tags=["api"])

Folder = Query(
    ".", description="The agency folder, relative to the served folder ('.' for the served folder).", max_length=1024
)
Lang = Query("vi", description="Language of texts: vi (default) or en.", pattern="^(vi|en)$")
UPLOAD = File(..., description="The fact file: .xlsx, .yaml, .json or .csv.")
RULE_TEXT = Body(...)
EveryId = Query(False, alias="all", description="List every entity of every reason (default: the first 25).")


class Health(BaseModel):
    ok: bool
    version: str


class ProblemOut(BaseModel):
    code: str
    message: str
    location: dict[str, Any]

    model_config = {"extra": "allow"}


class ProblemsOut(BaseModel):
    problems: list[dict[str, Any]]


class Refusal(BaseModel):
    code: str
    message: str


class AgencyFolder(BaseModel):
    folder: str
    name: str
    period: int | str | None = None
    latest: dict[str, Any] | None = None


class AgencyGroup(BaseModel):
    group: str
    name: str
    folders: list[AgencyFolder]


class Agencies(BaseModel):
    root: str
    agencies: list[AgencyGroup]


class RuleText(BaseModel):
    text: str = Field(description="The whole rule file, as it is to be saved.", max_length=reading.MAX_BODY)


ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": Refusal, "description": "The folder is outside the served folder, or the CSRF token is missing."},
    404: {"model": Refusal, "description": "No such folder, run, target or file."},
    422: {"model": ProblemsOut, "description": "Bad input: every located problem (file, line, column; sheet, row)."},
}


@router.get("/csrf", summary="A CSRF token for unsafe requests (also set as the thidua_csrf cookie)")
async def csrf(request: Request) -> dict[str, str]:
    return {"token": csrf_token(request), "header": "X-CSRF-Token", "cookie": "thidua_csrf"}


@router.get("/agencies", response_model=Agencies, summary="The agency folders served, with their years and latest runs")
async def agencies(request: Request) -> Any:
    return await run_in_threadpool(reading.agencies, service_of(request).workspace)


def _path(request: Request, folder: str) -> str:
    """The folder's real path, confined to the served one (403, 404 otherwise)."""
    return str(service_of(request).workspace.folder(folder))


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.get(
    "/evaluation", responses=ERRORS, summary="Evaluate a folder and record the run (thidua evaluate --format json)"
)
async def evaluation(request: Request, folder: str = Folder, lang: str = Lang, every_id: bool = EveryId) -> Response:
    service = service_of(request)
    path = _path(request, folder)
    value = await service.run(tasks.evaluation, path, path, lang, every_id, True, None)
    return Response(value["body"], media_type="application/json", headers={"X-Thidua-Run": str(value["seq"])})


@router.get(
    "/evaluation/recorded",
    responses=ERRORS,
    summary="The verdicts of the latest run recorded on the folder's current files",
)
async def recorded(request: Request, folder: str = Folder, lang: str = Lang) -> Any:
    service = service_of(request)
    data = await run_in_threadpool(reading.recorded_evaluation, service.workspace, folder, lang)
    if data is None:
        raise AppError("serve.no_run", folder=folder)  # 400: evaluate first
    return data


@router.get("/explain", responses=ERRORS, summary="A target's explanation (thidua explain --format json)")
async def explain(
    request: Request,
    folder: str = Folder,
    target: str = Query(..., max_length=256),
    entity: str | None = Query(None, max_length=256),
    lang: str = Lang,
    every_id: bool = EveryId,
) -> Any:
    value = await service_of(request).run(
        tasks.explanation, _path(request, folder), target, entity, None if every_id else 25, lang
    )
    return value["explanation"] | {"from_run": value["from_run"]}


@router.get(
    "/candidates",
    responses=ERRORS,
    summary="The council's worksheet per title, with quotas (thidua candidates --format json)",
)
async def candidates(
    request: Request,
    folder: str = Folder,
    title: str | None = Query(None, max_length=256),
    entity: str | None = Query(None, max_length=256),
    lang: str = Lang,
    every_id: bool = EveryId,
) -> Any:
    value = await service_of(request).run(
        tasks.worksheet, _path(request, folder), title, entity, None if every_id else 25, lang
    )
    return value["worksheet"] | {"from_run": value["from_run"]}


@router.get(
    "/report",
    responses={**ERRORS, 200: {"content": {"application/octet-stream": {}}, "description": "The document"}},
    summary="The council's document of a new, recorded run: Word, Excel or HTML (thidua report)",
)
async def report(
    request: Request, folder: str = Folder, format: Literal["docx", "xlsx", "html"] = "docx", lang: str = Lang
) -> Response:
    value = await service_of(request).run(tasks.report, _path(request, folder), format, lang, None)
    return Response(
        value["data"],
        media_type=value["media_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{value["name"]}"',
            "X-Thidua-Run": str(value["seq"]),
            "X-Thidua-Sha256": value["sha256"],
        },
    )


@router.get(
    "/runs", responses=ERRORS, summary="The runs recorded in the folder's ledger (thidua audit list --format json)"
)
async def runs(request: Request, folder: str = Folder) -> Any:
    return await run_in_threadpool(reading.runs_of, service_of(request).workspace, folder)


@router.get(
    "/diff",
    responses=ERRORS,
    summary="Which verdicts changed between two runs, and why (thidua audit diff --format json)",
)
async def diff(
    request: Request, a: str = Query(..., max_length=64), b: str = Query(..., max_length=64), folder: str = Folder
) -> Any:
    return await run_in_threadpool(_user_errors, reading.diff_of, service_of(request).workspace, folder, a, b)


@router.get(
    "/verify", responses=ERRORS, summary="Whether the ledger's hash chain is intact (thidua audit verify --format json)"
)
async def verify(request: Request, folder: str = Folder, lang: str = Lang) -> Any:
    return await run_in_threadpool(_user_errors, reading.verify_of, service_of(request).workspace, folder, lang)


@router.get(
    "/runs/{run}/explain",
    responses=ERRORS,
    summary="A target as a past run judged it (thidua audit explain --format json)",
)
async def run_explain(
    request: Request,
    run: str,
    target: str = Query(..., max_length=256),
    entity: str | None = Query(None, max_length=256),
    folder: str = Folder,
    lang: str = Lang,
) -> Any:
    path = _path(request, folder)
    return await service_of(request).run(tasks.run_explanation, path, run, target, entity, 25, lang, None)


@router.get(
    "/validate",
    responses=ERRORS,
    summary="Every problem of the folder's files, without evaluating (thidua validate --format json)",
)
async def validate(request: Request, folder: str = Folder, lang: str = Lang) -> Any:
    return await service_of(request).run(tasks.validation, _path(request, folder), lang)


@router.get("/tests", responses=ERRORS, summary="The folder's own rule tests run (thidua test)")
async def rule_tests(request: Request, folder: str = Folder, lang: str = Lang) -> Any:
    return await service_of(request).run(tasks.rule_tests, _path(request, folder), lang)


@router.post(
    "/files",
    responses=ERRORS,
    summary="Upload a fact file (a roster from Excel too): checked first, then saved and evaluated",
)
async def upload(request: Request, file: UploadFile = UPLOAD, folder: str = Folder, lang: str = Lang) -> Any:
    name = file.filename or ""
    data = await read_upload(file, name, lang)
    return await save(request, folder, name, data, lang)


@router.put("/rules/{name}", responses=ERRORS, summary="Save a rule file: checked first, then saved and evaluated")
async def save_rules(
    request: Request, name: str, body: RuleText = RULE_TEXT, folder: str = Folder, lang: str = Lang
) -> Any:
    return await save(request, folder, name, body.text.encode("utf-8"), lang)


@router.post(
    "/check/{name}",
    responses=ERRORS,
    summary="Check a rule or fact file with the folder's other files; nothing is written",
)
async def check(request: Request, name: str, body: RuleText = RULE_TEXT, folder: str = Folder, lang: str = Lang) -> Any:
    return await service_of(request).run(
        tasks.check_file, _path(request, folder), name, body.text.encode("utf-8"), lang
    )


async def read_upload(file: StarletteUpload, name: str, lang: str) -> bytes:
    """The uploaded bytes, refused past the limit files of that kind have on disk (rules/limits.py)."""
    try:
        limit = limit_for(name)
    except AppError:
        limit = reading.MAX_BODY
    data = await file.read(limit + 1)
    if len(data) > limit:
        from thidua.rules.errors import Location, Problem

        problem = Problem("input.too_large", Location(name), {"path": name, "size": len(data), "limit": limit})
        raise Problems([problem.to_dict(lang)])
    return data


async def save(request: Request, folder: str, name: str, data: bytes, lang: str) -> Any:
    value = await service_of(request).run(tasks.save_file, _path(request, folder), name, data, lang, None)
    import orjson

    return {
        "name": value["name"],
        "check": value["check"],
        "run": value["seq"],
        "evaluation": orjson.loads(value["evaluation"]),
    }


def _user_errors(func: Any, *args: Any) -> Any:
    from thidua.rules.errors import UserError

    try:
        return func(*args)
    except UserError as exc:
        lang = args[-1] if args and args[-1] in ("vi", "en") else "vi"
        raise Problems([p.to_dict(lang) for p in exc.problems]) from exc


@router.get("/health", response_model=Health, include_in_schema=False)
async def health_alias(request: Request) -> Any:
    return {"ok": True, "version": request.app.version}


__all__ = ["router", "JSONResponse", "request_lang"]
