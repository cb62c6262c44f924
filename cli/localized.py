"""Help in the user's language: `--help` of every command in Vietnamese, or English with `--lang en`.

click processes `--help` eagerly, before `--lang` is parsed, so the language is read from the
command line itself (`--lang en`, `--lang=en`) or from the THIDUA_LANG setting, before help is built.

English help is the code's own: each command's docstring and each option's `help=`. Vietnamese help
is in the catalogue cli/locale/vi/LC_MESSAGES/thidua-help.po, read as `cli.labels.HELP_VI`, keyed by the
command's path and the option's name (msgid "evaluate", msgstr "..." in the .po):

    "evaluate": "...",                      # the command's description (first sentence: the list)
    "evaluate.fail_on_pending": "...",      # its option --fail-on-pending (the parameter's name)
    "*.lang": "...",                        # an option shared by many commands, for all of them

Every command added to the `thidua` group is made localized (`localize`), however it was created,
so a new command only adds its entries to that catalogue (docs/architecture.md, "Adding a message"); tests/test_first_hour_help.py fails, naming the
missing keys, when a command or option has no help in either language.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Sequence
from typing import Any

import click

from thidua.cli.labels import HELP_VI, LABELS, label

LANGS = ("vi", "en")
META_KEY = "thidua.lang"


def lang_from_args(args: Sequence[str]) -> str | None:
    """The value of `--lang` among raw command-line arguments, if given (the last one wins)."""
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found if found in LANGS else None


def env_lang() -> str:
    """THIDUA_LANG when it names a known language, else Vietnamese."""
    value = os.environ.get("THIDUA_LANG", "").strip().lower()
    return value if value in LANGS else "vi"


def help_lang(ctx: click.Context) -> str:
    """The language help is shown in: `--lang` seen on the command line, else THIDUA_LANG, else vi."""
    lang = ctx.meta.get(META_KEY)
    return lang if lang in LANGS else env_lang()


def default_lang() -> str:
    """The default of every `--lang` option: a `--lang` given to the group (`thidua --lang en ...`),
    else THIDUA_LANG, else Vietnamese."""
    ctx = click.get_current_context(silent=True)
    return help_lang(ctx) if ctx is not None else env_lang()


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[META_KEY] = value


# `thidua --lang en ...` and `thidua audit --lang en ...`: the language for everything below.
GROUP_LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_remember_lang,
    help="Language of labels, messages and help (also the THIDUA_LANG setting).",
)


def command_key(ctx: click.Context) -> str:
    """ "audit.show" for `thidua audit show`: the command's path without the program name."""
    names: list[str] = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return ".".join(reversed(names))


def vi_help(key: str, param: str | None = None) -> str | None:
    """The Vietnamese help of a command (param None) or of its option, shared entries as fallback."""
    if param is None:
        return HELP_VI.get(key or "thidua")
    return HELP_VI.get(f"{key}.{param}") or HELP_VI.get(f"*.{param}")


def short_help(text: str, limit: int) -> str:
    """The first sentence of a help text, cut at a word with "..." when longer than `limit`."""
    first = inspect.cleandoc(text).split("\n\n")[0].replace("\n", " ")
    sentence = first.split(". ")[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: max(0, limit - 3)].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "..."


def metavar_word(param: click.Parameter, key: str, lang: str) -> str | None:
    """The placeholder of a parameter in the language (ĐƯỜNG_DẪN / PATH), from the catalogue
    thidua-cli: `metavar.COMMAND.PARAM`, else `metavar.*.PARAM`, else by click's type
    (`metavar.type.path`, `metavar.type.text`). None for a choice: its values are what one types."""
    if isinstance(param.type, (click.Choice, click.DateTime)):
        return None
    for code in (f"metavar.{key}.{param.name}", f"metavar.*.{param.name}", f"metavar.type.{param.type.name}"):
        if code in LABELS:
            return label(code, lang)
    return None


def shown_metavar(param: click.Parameter, ctx: click.Context, lang: str) -> str:
    """A parameter's placeholder as help and usage show it: the word in the language, in brackets
    for an optional argument, with "..." when it takes several values (click's own form otherwise)."""
    word = metavar_word(param, command_key(ctx), lang)
    if word is None:
        return param.make_metavar(ctx)
    if isinstance(param, click.Argument) and not param.required:
        word = f"[{word}]"
    return word + ("..." if param.nargs != 1 else "")


# click's usage errors (its own English words) and their Vietnamese; the rest of a message is kept.
USAGE_ERRORS_VI: tuple[tuple[str, str], ...] = (
    (r"Missing argument '(?P<a>[^']+)'\.", "Thiếu tham số '{a}'."),
    (r"Missing option '(?P<a>[^']+)'\.", "Thiếu tùy chọn '{a}'."),
    (r"No such option '(?P<a>[^']+)'\.", "Không có tùy chọn '{a}'."),
    (r"No such option: (?P<a>\S+)", "Không có tùy chọn {a}."),
    (r"Did you mean '(?P<a>[^']+)'\?", "Có phải là '{a}'?"),
    (r"\(Possible options: (?P<a>[^)]+)\)", "(Có thể là: {a})"),
    (r"No such command '(?P<a>[^']+)'\.", "Không có lệnh '{a}'."),
    (r"\(Did you mean one of: (?P<a>[^)]+)\?\)", "(Có phải là một trong: {a}?)"),
    (r"\(Did you mean '(?P<a>[^']+)'\?\)", "(Có phải là '{a}'?)"),
    (r"Option '(?P<a>[^']+)' requires an argument\.", "Tùy chọn '{a}' cần một giá trị."),
    (r"Option '(?P<a>[^']+)' requires (?P<n>\d+) arguments\.", "Tùy chọn '{a}' cần {n} giá trị."),
    (r"Got unexpected extra arguments? \((?P<a>[^)]*)\)", "Thừa tham số: {a}."),
    (r"Invalid value for '(?P<a>[^']+)':", "Giá trị không hợp lệ cho '{a}':"),
    (r"Invalid value for (?P<a>\S+):", "Giá trị không hợp lệ cho {a}:"),
    (r"'(?P<a>[^']*)' is not one of (?P<b>.+?)\.$", "'{a}' không phải một trong {b}."),
    (r"'(?P<a>[^']*)' is not a valid integer\.", "'{a}' không phải một số nguyên."),
)


def usage_error_vi(message: str) -> str:
    """click's English usage-error message with its known phrases in Vietnamese."""
    for pattern, template in USAGE_ERRORS_VI:
        message = re.sub(pattern, lambda m, t=template: t.format(**m.groupdict()), message)
    return message


class LocalizedUsageError(click.UsageError):
    """A usage error shown in Vietnamese: the usage line, the hint and the message."""

    def show(self, file: Any = None) -> None:
        color = self.ctx.color if self.ctx is not None else None
        if self.ctx is not None:
            names = self.ctx.help_option_names
            hint = f"Xem '{self.ctx.command_path} {names[0]}' để biết cách dùng.\n" if names else ""
            click.echo(f"{self.ctx.get_usage()}\n{hint}", file=file, err=file is None, color=color)
        click.echo(f"Lỗi: {self.format_message()}", file=file, err=file is None, color=color)


def _localized_error(error: click.UsageError, ctx: click.Context) -> click.UsageError:
    if isinstance(error, LocalizedUsageError) or help_lang(ctx) != "vi":
        return error
    text = usage_error_vi(error.format_message())
    where = error.ctx or ctx
    for param in where.command.params:  # "Thiếu tham số 'PATH'." names the argument as the usage line does
        if isinstance(param, click.Argument):
            text = text.replace(f"'{param.make_metavar(where)}'", f"'{shown_metavar(param, where, 'vi')}'")
    localized = LocalizedUsageError(text, where)
    localized.exit_code = error.exit_code
    return localized


class LocalizedMixin:
    """Formats help and click's usage errors in the language of the command line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        lang = lang_from_args(args)
        if lang is not None:
            ctx.meta[META_KEY] = lang
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except click.UsageError as error:
            raise _localized_error(error, ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except click.UsageError as error:  # raised by a command's own checks
            raise _localized_error(error, ctx) from None

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)  # type: ignore[misc]
        except click.UsageError as error:
            raise _localized_error(error, ctx) from None

    def _lang(self, ctx: click.Context) -> str:
        return help_lang(ctx)

    def _command_help(self, ctx: click.Context) -> str | None:
        if self._lang(ctx) == "vi":
            text = vi_help(command_key(ctx))
            if text:
                return text
        return self.help  # type: ignore[attr-defined, no-any-return]

    def get_short_help_str(self, limit: int = 45) -> str:
        ctx = click.get_current_context(silent=True)
        if ctx is not None and help_lang(ctx) == "vi":
            name = getattr(self, "name", "") or ""
            key = f"{command_key(ctx)}.{name}".lstrip(".")
            text = vi_help(key)
            if text:
                return short_help(text, limit)
        return super().get_short_help_str(limit)  # type: ignore[misc, no-any-return]

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """`[TÙY_CHỌN] ĐƯỜNG_DẪN` / `[OPTIONS] PATH`, and a group's `LỆNH [THAM_SỐ]...`, in the language."""
        lang = self._lang(ctx)
        pieces = [label("metavar.options", lang)] if getattr(self, "options_metavar", None) else []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if isinstance(param, click.Argument):
                pieces.append(shown_metavar(param, ctx, lang))
        if isinstance(self, click.Group):
            pieces.append(label("metavar.command", lang))
        return pieces

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), label("help.usage", self._lang(ctx)) + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self._command_help(ctx)
        if text:
            text = inspect.cleandoc(text).partition("\f")[0]
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = self._lang(ctx)
        key = command_key(ctx)
        records = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if not isinstance(param, click.Option):
                continue
            record = _option_record(param, ctx, key, lang)
            if record is not None:
                records.append(record)
        if records:
            with formatter.section(label("help.options", lang)):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert isinstance(self, click.Group)
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(name) for name in names), default=0)
        lang, key = self._lang(ctx), command_key(ctx)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None and loaded.hidden:
                continue
            # Vietnamese comes from the catalogue without loading the command's module.
            text = vi_help(f"{key}.{name}".lstrip(".")) if lang == "vi" else None
            if text:
                rows.append((name, short_help(text, limit)))
                continue
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=limit)))
        if rows:
            with formatter.section(label("help.commands", self._lang(ctx))):
                formatter.write_dl(rows)


def _option_record(param: click.Option, ctx: click.Context, key: str, lang: str) -> tuple[str, str] | None:
    """click's help line of an option, its text replaced by the Vietnamese one when shown in vi."""
    original, metavar = param.help, param.metavar
    if lang == "vi":
        name = "help" if param is ctx.command.get_help_option(ctx) else param.name
        param.help = vi_help(key, name) or original
    if not param.is_flag and not param.count:
        param.metavar = shown_metavar(param, ctx, lang)
    try:
        record = param.get_help_record(ctx)
    finally:
        param.help, param.metavar = original, metavar
    if record is not None and lang == "vi":
        for en, vi in BRACKET_WORDS:
            record = (record[0], record[1].replace(en, vi))
    return record


# click's own words in an option's help line.
BRACKET_WORDS = (("[default: ", "[mặc định: "), ("[required]", "[bắt buộc]"), ("; required]", "; bắt buộc]"))


class LocalizedCommand(LocalizedMixin, click.Command):
    """A click command whose help follows the language."""


class LocalizingGroupMixin:
    """A group that localizes every command added to it, even one made by plain `click.command`."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(localize(cmd), name)  # type: ignore[misc]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Also a command a lazy group imports on first use is localized."""
        cmd = super().get_command(ctx, cmd_name)  # type: ignore[misc]
        return localize(cmd) if cmd is not None else None


class LocalizedGroup(LocalizingGroupMixin, LocalizedMixin, click.Group):
    """A click group whose help follows the language and whose subcommands are all localized."""

    command_class = LocalizedCommand


LocalizedGroup.group_class = LocalizedGroup


def localize(cmd: click.Command) -> click.Command:
    """Make `cmd` (and a group's subcommands) localized in place, whatever class created it."""
    if not isinstance(cmd, LocalizedMixin):
        base = type(cmd)
        mixins: tuple[type, ...] = (LocalizedMixin,)
        if isinstance(cmd, click.Group):
            mixins = (LocalizingGroupMixin, LocalizedMixin)
        cmd.__class__ = type(f"Localized{base.__name__}", (*mixins, base), {})
    _complete_paths(cmd)
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            localize(sub)
        if not issubclass(cmd.command_class or click.Command, LocalizedMixin):
            cmd.command_class = LocalizedCommand
    return cmd


def _complete_paths(cmd: click.Command) -> None:
    """Give every PATH argument without its own completion the agency-folder completion."""
    from thidua.cli.completion import complete_path

    for param in cmd.params:
        # click keeps a parameter's shell_complete callback in this attribute (click 8.0 and later)
        if isinstance(param, click.Argument) and param.name == "path" and param._custom_shell_complete is None:
            param._custom_shell_complete = complete_path


def walk(cmd: click.Command, path: str = "") -> list[tuple[str, click.Command]]:
    """Every command of the tree with its key ("evaluate", "audit.show"), the root first as "".

    Asks each group for its commands (list_commands, get_command), so lazily loaded ones count too.
    """
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None:
                out.extend(walk(sub, f"{path}.{name}".lstrip(".")))
    return out
