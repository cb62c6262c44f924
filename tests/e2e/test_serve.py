"""thidua serve as people use it: the installed console script serving a copy of the seed agency,
answering /healthz, and driven in headless Chromium by a council member, an admin and an auditor."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE
from tests.e2e.browser import BROWSER_ARGS, browser_or_skip
from tests.e2e.process import THIDUA, run_thidua

ROSTER = "roster.facts.yaml"
# the first unit's "Giấy khen của Thủ trưởng" (Phòng Kế hoạch - Tổng hợp): without it units.head_certificate
# counts 2 of the 2 it requires instead of 3
WITHDRAWN = "        - giay_khen_thu_truong\n"
# a server, a browser and evaluations in a worker: under make test the file starts first (tests/conftest.py)
pytestmark = pytest.mark.slow
FOLDER = "ban-dan-toc-binh-phuoc/2022"


class Server:
    """`thidua serve ROOT --port 0` as a process: the address it printed, and its output so far."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [str(THIDUA), "serve", str(root), "--port", "0", "--workers", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            start_new_session=True,  # its own process group: stopped as systemd stops a service
            env={k: v for k, v in os.environ.items() if k != "THIDUA_LEDGER"},  # ledgers in the served folders
        )
        self.lines: list[str] = []
        started = threading.Event()

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.append(line)
                started.set()
            started.set()

        threading.Thread(target=read, daemon=True).start()
        if not started.wait(60):
            self.stop()
            pytest.fail("thidua serve printed nothing in 60 s")
        found = re.search(r"http://127\.0\.0\.1:\d+/", self.lines[0]) if self.lines else None
        if found is None:
            self.stop()
            pytest.fail(f"thidua serve did not say where it listens: {''.join(self.lines)}")
        self.url = found.group(0).rstrip("/")

    def output(self) -> str:
        return "".join(self.lines)

    def stop(self) -> bool:
        """SIGTERM to the whole process group (the server, its fork server and workers), as systemd
        and `timeout` send it; whether the server stopped within 30 s (it is killed otherwise)."""
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            return False
        return True


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of agencies holding a copy of the seed agency's years (the served folder)."""
    served = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, served / EXAMPLE.name, ignore=shutil.ignore_patterns("excel", "__pycache__"))
    return served


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[Server]:
    running = Server(root)
    yield running
    assert running.stop(), f"thidua serve did not stop on SIGTERM: {running.output()}"
    assert "Traceback" not in running.output(), running.output()


def get(url: str) -> tuple[int, dict[str, Any]]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a loopback address
        return response.status, json.loads(response.read())


def test_serve_answers_healthz_on_the_port_it_printed(server: Server) -> None:
    status, body = get(server.url + "/healthz")
    assert status == 200 and body["ok"] is True
    assert "thidua đang phục vụ tại" in server.output()


def test_serve_refuses_an_address_other_machines_reach(root: Path) -> None:
    done = run_thidua("serve", root, "--host", "0.0.0.0", "--port", "0")
    assert done.returncode == 2, done.stderr
    assert "--host" in done.stderr and "Traceback" not in done.stderr


def test_serve_names_a_missing_folder(tmp_path: Path) -> None:
    done = run_thidua("serve", tmp_path / "nowhere", "--port", "0")
    assert done.returncode == 2 and "nowhere" in done.stderr


# --- in a browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    executable = browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh browser context (its own cookies) on the served folder; no page may log an error."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(60_000)  # an evaluation in a cold worker on a busy machine
    errors: list[str] = []
    # a refused upload answers 422 (the browser logs it as a resource that failed): statuses are judged here
    loading = "Failed to load resource"
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" and loading not in m.text else None)
    opened.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status in (404, 500) else None)
    yield opened
    context.close()
    assert errors == []


def evaluated(page: Any) -> None:
    """On the agency page: evaluate and record, wait for the progress page to lead back to the table."""
    page.click("form[action='/agency/evaluate'] button")
    page.wait_for_selector("table.verdicts")


def status_of(page: Any, target: str) -> str:
    row = page.locator("table.verdicts tbody tr", has=page.locator(f"code:text-is('{target}')"))
    return str(row.locator(".status").inner_text())


def test_council_reads_the_table_the_explanation_and_downloads_the_word_report(page: Any) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.click(f"a[href='/agency?folder={FOLDER.replace('/', '%2F')}']")
    assert "Ban Dân tộc tỉnh Bình Phước" in page.locator("h1").inner_text()
    evaluated(page)
    assert status_of(page, "units.excellent") == "Đạt"
    assert "Tổng cộng 14 chỉ tiêu" in page.locator("main").inner_text()
    page.click("a:has(+ br + code:text-is('units.excellent'))")
    page.wait_for_selector("table.people")
    people = page.locator("table.people").first.inner_text()
    assert "Văn phòng" in people and "Phòng Kế hoạch - Tổng hợp" in people
    page.click("a.fact >> nth=0")  # the fact in its file, at its line
    assert page.locator(".here").count() == 1 and "tap_the_lao_dong_xuat_sac" in page.locator("main").inner_text()
    page.go_back()
    page.go_back()
    with page.expect_download() as download:
        page.click("a:text('Word (.docx)')")
    saved = download.value.path()
    assert Path(saved).read_bytes()[:2] == b"PK"  # a Word document (a zip)
    page.click("a:text('English')")
    assert "Emulation targets" in page.locator("main").inner_text()
    page.goto("/")  # the language is remembered
    assert page.locator("html").get_attribute("lang") == "en"


def test_admin_edits_a_rule_file_and_sees_the_problem_as_they_type(page: Any, root: Path) -> None:
    rules = root / FOLDER / "targets.rules.yaml"
    before = rules.read_text(encoding="utf-8")
    page.goto(f"/admin/rules?folder={FOLDER}&name=targets.rules.yaml")
    editor = page.locator("textarea")
    editor.fill(editor.input_value().replace("require: {gte: 2}", "require: {gte: two}", 1))
    editor.press("End")  # a key typed: the page checks the text (htmx), nothing is saved
    page.wait_for_selector("#check ul.problems")
    assert "targets.rules.yaml · dòng 55" in page.locator("#check").inner_text()
    assert rules.read_text(encoding="utf-8") == before


def test_admin_uploads_a_roster_with_a_typo_sees_where_then_fixes_it(page: Any, root: Path, tmp_path: Path) -> None:
    original = (root / FOLDER / ROSTER).read_text(encoding="utf-8")
    first = "        - tap_the_lao_dong_xuat_sac\n"
    assert first in original
    typo = tmp_path / "typo" / ROSTER
    typo.parent.mkdir()
    typo.write_text(original.replace(first, "        - tap_the_lao_dong_xuat_sacc\n", 1), encoding="utf-8")
    page.goto(f"/admin?folder={FOLDER}")
    page.set_input_files("input[type=file]", str(typo))
    page.click("form[action='/admin/upload'] button")
    problems = page.locator("ul.problems").inner_text()
    assert f"{ROSTER} · dòng 24" in problems and "tap_the_lao_dong_xuat_sacc" in problems
    assert (root / FOLDER / ROSTER).read_text(encoding="utf-8") == original  # the old file kept

    fixed = tmp_path / "fixed" / ROSTER  # the typo fixed, and one unit's Giấy khen withdrawn
    fixed.parent.mkdir()
    fixed.write_text(original.replace(WITHDRAWN, "", 1), encoding="utf-8")
    page.set_input_files("input[type=file]", str(fixed))
    page.click("form[action='/admin/upload'] button")
    assert page.locator("p.ok").count() == 1
    page.goto(f"/agency?folder={FOLDER}")
    assert status_of(page, "units.head_certificate") == "Đạt"  # was Vượt (exceeded) with 3
    (root / FOLDER / ROSTER).write_text(original, encoding="utf-8")


def test_auditor_compares_two_runs_and_verifies_the_ledger(page: Any, root: Path) -> None:
    roster = root / FOLDER / ROSTER
    original = roster.read_text(encoding="utf-8")
    page.goto(f"/agency?folder={FOLDER}")
    evaluated(page)  # run A: as the files are
    roster.write_text(original.replace(WITHDRAWN, "", 1), encoding="utf-8")
    page.goto(f"/agency?folder={FOLDER}")
    evaluated(page)  # run B: one Giấy khen withdrawn
    roster.write_text(original, encoding="utf-8")
    page.goto(f"/runs?folder={FOLDER}")
    assert page.locator("table.runs tbody tr").count() >= 2
    page.click("form[action='/diff'] button")  # the two latest runs are chosen
    changes = page.locator("table.changes").inner_text()
    assert "units.head_certificate" in changes and "Vượt" in changes and "Đạt" in changes
    assert "khth" in changes  # the unit whose Giấy khen went
    page.click("main p:last-child a")  # the target as run B judged it
    assert "units.head_certificate" in page.locator("main").inner_text()
    page.goto(f"/verify?folder={FOLDER}")
    assert page.locator("p.ok").count() == 1
