"""Help follows the language: Vietnamese by default, English with --lang en or THIDUA_LANG=en; every
command and option has help in both languages, including commands added later by other modules."""

from __future__ import annotations

import re

import click
import click.testing
import pytest

from tests.conftest import EXAMPLE_2022, run_cli
from tests.e2e.process import run_script
from tests.first_hour_helpers import thidua
from thidua.cli.labels import HELP_VI, LABELS, label
from thidua.cli.localized import LocalizedGroup, LocalizedMixin, vi_help, walk
from thidua.cli.main import cli

COMMANDS = walk(cli)


def _options(cmd: click.Command) -> list[click.Option]:
    ctx = click.Context(cmd)
    return [p for p in cmd.get_params(ctx) if isinstance(p, click.Option)]


@pytest.mark.parametrize(("key", "cmd"), COMMANDS, ids=[k or "thidua" for k, _ in COMMANDS])
def test_every_command_and_option_has_help_in_both_languages(key: str, cmd: click.Command) -> None:
    assert isinstance(cmd, LocalizedMixin), f"{key} is not localized"
    assert cmd.help, f"command {key or 'thidua'} has no English help (its docstring)"
    assert vi_help(key), f"command {key or 'thidua'}: add HELP_VI[{key or 'thidua'!r}]"
    help_option = cmd.get_help_option(click.Context(cmd))
    missing_en, missing_vi = [], []
    for opt in _options(cmd):
        name = "help" if opt is help_option else opt.name
        if not opt.help:
            missing_en.append(opt.opts[0])
        if not vi_help(key, name):
            missing_vi.append(f"{key}.{name} (or *.{name})")
    assert not missing_en, f"options without help= in {key}: {missing_en}"
    assert not missing_vi, f"add to cli.labels.HELP_VI: {missing_vi}"


def test_help_catalogue_has_no_stale_entries() -> None:
    """Every HELP_VI key names a command or one of its options (a renamed option is noticed)."""
    known = {k or "thidua" for k, _ in COMMANDS}
    for key, cmd in COMMANDS:
        known.update(f"{key}.{o.name}" for o in _options(cmd))
    shared = {k for k in HELP_VI if k.startswith("*.")}
    assert sorted(set(HELP_VI) - known - shared) == []


def test_evaluate_help_is_vietnamese_by_default_as_a_real_process() -> None:
    done = thidua("evaluate", "--help")
    assert done.returncode == 0
    out = done.stdout
    assert "Cách dùng: thidua evaluate" in out and "Tùy chọn" in out
    assert HELP_VI["evaluate.no_record"] in out
    assert "Hiện hướng dẫn này rồi thoát." in out
    assert "Usage:" not in out and "Show this message" not in out


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["evaluate", "--help", "--lang", "en"], {}),
        (["evaluate", "--lang=en", "--help"], {}),
        (["--lang", "en", "evaluate", "--help"], {}),
        (["evaluate", "--help"], {"THIDUA_LANG": "en"}),
    ],
    ids=["after", "equals", "group", "setting"],
)
def test_evaluate_help_in_english(args: list[str], env: dict[str, str]) -> None:
    """The first spelling as a real process, the others in-process (the same click code path)."""
    if args == ["evaluate", "--help", "--lang", "en"]:
        done = thidua(*args, env=env)
        code, out = done.returncode, done.stdout
    else:
        result = run_cli(*args, env=env)
        code, out = result.exit_code, result.stdout
    assert code == 0
    assert out.startswith("Usage: ") and "evaluate [OPTIONS] PATH" in out and "Options:" in out
    assert "Do not record this run" in out and "Cách dùng" not in out


def test_group_help_lists_commands_in_the_language() -> None:
    vi = run_cli("--help").stdout
    en = run_cli("--lang", "en", "--help").stdout
    assert "Lệnh:" in vi and "Đánh giá các chỉ tiêu" in vi
    assert "Commands:" in en and "Evaluate the targets" in en
    audit_vi = run_cli("audit", "--help").stdout
    assert "Liệt kê các lần chạy" in audit_vi


def test_the_group_language_reaches_the_output() -> None:
    """`thidua --lang en evaluate ...` and THIDUA_LANG=en speak English, not only in help."""
    en = thidua("--lang", "en", "evaluate", EXAMPLE_2022, "--no-record")
    assert en.returncode == 0 and "exceeded" in en.stdout and "Tổng cộng" not in en.stdout
    setting = run_cli("evaluate", EXAMPLE_2022, "--no-record", env={"THIDUA_LANG": "en"})
    assert "exceeded" in setting.stdout
    explicit = run_cli("evaluate", EXAMPLE_2022, "--no-record", "--lang", "vi", env={"THIDUA_LANG": "en"})
    assert "Tổng cộng" in explicit.stdout


def test_a_plain_click_command_added_later_is_localized() -> None:
    """What another module does: define a command with click.command and add it to the group."""

    @click.group(cls=LocalizedGroup)
    def root() -> None:
        """Root."""

    @click.command("hello")
    @click.option("--lang", default="vi", help="Language.")
    @click.option("--name", help="Whom to greet.")
    def hello(lang: str, name: str | None) -> None:
        """Greet someone."""

    HELP_VI["hello"] = "Chào một người."
    HELP_VI["hello.name"] = "Chào ai."
    try:
        root.add_command(hello)
        runner = click.testing.CliRunner()
        vi = runner.invoke(root, ["hello", "--help"]).stdout
        en = runner.invoke(root, ["hello", "--help", "--lang", "en"]).stdout
    finally:
        del HELP_VI["hello"], HELP_VI["hello.name"]
    assert "Chào một người." in vi and "Chào ai." in vi and "Cách dùng:" in vi
    assert "Greet someone." in en and "Whom to greet." in en and "Usage:" in en


@pytest.mark.parametrize(
    ("args", "vietnamese"),
    [
        (["evaluate"], "Lỗi: Thiếu tham số 'ĐƯỜNG_DẪN'."),
        (["evaluate", "x", "--nope-record"], "Lỗi: Không có tùy chọn '--nope-record'. Có phải là '--no-record'?"),
        (["evaluate", "x", "--format", "xml"], "'xml' không phải một trong 'table', 'json'."),
        (["evaluate", "x", "y"], "Lỗi: Thừa tham số: y."),
        (["evalute", "x"], "Lỗi: Không có lệnh 'evalute'."),
        (["candidates", "x", "--title"], "Lỗi: Tùy chọn '--title' cần một giá trị."),
    ],
)
def test_usage_errors_speak_the_language(args: list[str], vietnamese: str) -> None:
    """The first case as a real process, the others in-process (the same click code path)."""
    if args == ["evaluate"]:
        done = thidua(*args)
        code, err = done.returncode, done.stderr
    else:
        result = run_cli(*args)
        code, err = result.exit_code, result.stderr
    assert code == 2
    assert vietnamese in err and err.startswith("Cách dùng: ") and "Error:" not in err
    english = run_cli(*args, "--lang", "en") if args[0] != "evalute" else run_cli("--lang", "en", *args)
    assert english.exit_code == 2 and "Error:" in english.stderr and "Lỗi" not in english.stderr


def _placeholders(lang: str) -> set[str]:
    """The words of every placeholder a help in `lang` may show (ĐƯỜNG_DẪN, TỆP… / PATH, FILE…),
    read from the catalogue, with click's own type names on the English side."""
    words = {w for k in LABELS if k.startswith("metavar.") for w in re.findall(r"\w+", label(k, lang))}
    if lang == "en":
        words |= {"OPTIONS", "COMMAND", "ARGS", "PATH", "TEXT", "INTEGER", "RANGE", "FILENAME", "FILE", "FLOAT"}
    return {w for w in words if len(w) > 1}


# click's own words around the placeholders, in each language
FRAME = {
    "en": (
        "Usage:",
        "Options:",
        "Commands:",
        "Show this message and exit",
        "Show the version",
        "[default:",
        "required]",
    ),
    "vi": ("Cách dùng:", "Tùy chọn:", "Lệnh:", "Hiện hướng dẫn này", "Hiện phiên bản", "[mặc định:", "bắt buộc]"),
}


def test_every_help_reads_in_one_language() -> None:
    """Every command's --help, in Vietnamese and in English, shows no placeholder nor frame word of
    the other language: `thidua [TÙY_CHỌN] LỆNH [THAM_SỐ]...` / `thidua [OPTIONS] COMMAND [ARGS]...`.
    Choice values (`[table|json]`, `[vi|en]`) are what one types, the same in both."""
    vi_words, en_words = _placeholders("vi"), _placeholders("en")
    assert {"ĐƯỜNG_DẪN", "TÙY_CHỌN", "LỆNH"} <= vi_words and {"PATH", "OPTIONS", "COMMAND"} <= en_words
    assert not vi_words & en_words
    for key, _cmd in COMMANDS:
        path = key.split(".") if key else []
        for lang, other, words in (("vi", "en", en_words), ("en", "vi", vi_words)):
            out = run_cli(*path, "--help", "--lang", lang).stdout
            assert out.startswith(FRAME[lang][0]), out
            found = sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out))
            found += [phrase for phrase in FRAME[other] if phrase in out]
            assert not found, f"thidua {key} --help --lang {lang} shows {found}:\n{out}"
    usage = run_cli("--help").stdout.splitlines()[0]
    assert usage.startswith("Cách dùng: ") and usage.endswith(" [TÙY_CHỌN] LỆNH [THAM_SỐ]...")


def test_help_and_version_in_one_language_as_real_processes() -> None:
    vi = run_script("evaluate", "--help", env={"THIDUA_LANG": ""})
    assert vi.rc == 0 and vi.stdout.startswith("Cách dùng: thidua evaluate [TÙY_CHỌN] ĐƯỜNG_DẪN\n")
    assert "--rules TỆP" in vi.stdout and "--jobs SỐ" in vi.stdout and "trong ĐƯỜNG_DẪN" in vi.stdout
    en = run_script("--lang", "en", "audit", "diff", "--help")
    assert en.rc == 0 and en.stdout.startswith("Usage: thidua audit diff [OPTIONS] RUN_A RUN_B\n")
    assert "--ledger PATH" in en.stdout
    assert run_script("--version", env={"THIDUA_LANG": ""}).stdout.startswith("thidua, phiên bản ")
    assert run_script("--version", "--lang", "en").stdout.startswith("thidua, version ")
