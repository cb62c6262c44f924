"""`thidua serve PATH`: the council's, admins' and auditors' pages and the JSON API in a browser (web/)."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click

from thidua.cli import EXIT_OK
from thidua.cli.common import LANG_OPTION, guarded
from thidua.cli.labels import label
from thidua.rules.errors import Location, fail


def loopback(host: str) -> bool:
    """Whether `host` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on: this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@click.option(
    "--workers",
    "processes",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Evaluation worker processes.",
)
@LANG_OPTION
@guarded
def serve_command(path: Path, host: str, port: int, processes: int, lang: str) -> int:
    """Serve the agency folder (or folder of agencies) PATH in a browser: verdicts, explanations, worksheet,
    documents, roster upload, rule editing and the audit ledger, with a JSON API under /api/v1."""
    if not loopback(host):  # nobody logs in yet: the pages are for whoever reaches the address
        raise fail("serve.not_loopback", Location("--host"), host=host)
    if not path.is_dir():
        raise fail("file.missing", Location(path.as_posix()), path=path.as_posix())
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise fail("serve.port", Location("--port"), port=port, reason=exc.strerror or str(exc)) from None
    sock.listen(2048)  # a browser opening the printed address now waits for the server instead of being refused
    import uvicorn

    from thidua.evaluator.app.pool import Workers
    from thidua.web.app import create_app

    app = create_app(path, Workers(processes), lang=lang)
    shown = f"[{host.strip('[]')}]" if family == socket.AF_INET6 else host
    click.echo(label("web.listening", lang, url=f"http://{shown}:{sock.getsockname()[1]}/"), err=False)
    # a stop waits at most 10 s for requests under way, then the workers are stopped with them
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False, timeout_graceful_shutdown=10)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    return EXIT_OK


__all__ = ["loopback", "serve_command"]
