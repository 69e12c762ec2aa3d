"""The gettext catalogues under translations/ (Babel's own tools) and the check that they are complete.

msgids are English (helpdesk.i18n): `ja` must translate every one; `en` keeps msgstr empty, so the
msgid is shown (a translator may still fill one in to reword the English without touching code).
The compiled `.mo` files are committed beside the `.po` files; `check` fails when they are stale.
"""
from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from . import paths

CONFIG = paths.ROOT / "babel.cfg"
TEMPLATE = paths.TRANSLATIONS_DIR / "messages.pot"
LANGS = ("ja", "en")
REQUIRED = ("ja",)  # languages whose every msgid needs a msgstr
# Beyond Babel's defaults (_, gettext, ngettext, pgettext…): helpdesk.i18n's names.
KEYWORDS = ("_l", "_lp:1c,2", "lazy_gettext", "lazy_pgettext:1c,2", "gettext_in:2")


def _pybabel(*args: str | Path) -> None:
    CommandLineInterface().run(["pybabel", "-q", *map(str, args)])


def extract(output: Path = TEMPLATE) -> Path:
    """Every marked message of helpdesk/ and templates/ into the template `output` (messages.pot)."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    with contextlib.chdir(paths.ROOT):  # locations relative to the repository
        _pybabel("extract", "-F", CONFIG, *keywords, "--add-location=file", "--sort-output",
                 "--project=research-security-helpdesk", "-o", output.resolve(), ".")
    return output


def update() -> None:
    """Extract, then merge the template into each language's messages.po (new msgids empty, gone ones dropped)."""
    with tempfile.TemporaryDirectory() as scratch:
        template = extract(Path(scratch) / "messages.pot")
        for lang in LANGS:
            po = catalogue_path(lang, "po")
            if po.exists():
                _pybabel("update", "-i", template, "-d", paths.TRANSLATIONS_DIR, "-l", lang, "--ignore-obsolete")
            else:
                _pybabel("init", "-i", template, "-d", paths.TRANSLATIONS_DIR, "-l", lang)


def compile_all() -> None:
    """messages.po → messages.mo for each language (fuzzy entries are left out, as gettext does)."""
    for lang in LANGS:
        catalogue_path(lang, "mo").write_bytes(compiled(lang))


def catalogue_path(lang: str, ext: str) -> Path:
    return paths.TRANSLATIONS_DIR / lang / "LC_MESSAGES" / f"messages.{ext}"


def compiled(lang: str) -> bytes:
    with catalogue_path(lang, "po").open("rb") as fh:
        catalogue = read_po(fh, locale=lang)
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


@dataclass
class Report:
    messages: int = 0
    missing: dict[str, list[str]] = field(default_factory=dict)   # lang -> msgids without a msgstr
    fuzzy: dict[str, list[str]] = field(default_factory=dict)     # lang -> msgids marked fuzzy
    unlisted: list[str] = field(default_factory=list)            # in the code, not in the catalogues
    stale_mo: list[str] = field(default_factory=list)            # languages whose .mo differs from its .po

    @property
    def ok(self) -> bool:
        return not (any(self.missing.values()) or any(self.fuzzy.values()) or self.unlisted or self.stale_mo)


def _key(message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _in_code() -> set[tuple[str | None, str]]:
    with CONFIG.open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(list(KEYWORDS))}
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            paths.ROOT, method_map, options_map, keywords=keywords):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def check() -> Report:
    """What is missing: msgids without a Japanese msgstr, fuzzy entries, msgids the code uses that no
    catalogue lists (run `helpdesk translate update`), and stale .mo files (`helpdesk translate compile`)."""
    report = Report()
    listed: dict[str, set] = {}
    for lang in LANGS:
        with catalogue_path(lang, "po").open("rb") as fh:
            catalogue = read_po(fh, locale=lang)
        entries = [m for m in catalogue if m.id]
        listed[lang] = {_key(m) for m in entries}
        report.fuzzy[lang] = [_key(m)[1] for m in entries if m.fuzzy]
        if lang in REQUIRED:
            report.messages = len(entries)
            report.missing[lang] = [_key(m)[1] for m in entries
                                    if not (m.string if isinstance(m.string, str) else m.string and all(m.string))]
        mo = catalogue_path(lang, "mo")
        if not mo.exists() or mo.read_bytes() != compiled(lang):
            report.stale_mo.append(lang)
    code = _in_code()
    report.unlisted = sorted(msgid for context, msgid in code
                             if any((context, msgid) not in listed[lang] for lang in LANGS))
    return report


@click.group("translate")
def translate_group() -> None:
    """The gettext catalogues in translations/ (msgids in English; ja translates each)."""


@translate_group.command("extract")
def extract_command() -> None:
    """Write translations/messages.pot from helpdesk/ and templates/."""
    click.echo(f"wrote {extract()}")


@translate_group.command("update")
def update_command() -> None:
    """Extract, then merge into translations/<lang>/LC_MESSAGES/messages.po."""
    update()
    click.echo("updated " + ", ".join(str(catalogue_path(lang, "po")) for lang in LANGS))


@translate_group.command("compile")
def compile_command() -> None:
    """Compile each messages.po into the messages.mo the app reads."""
    compile_all()
    click.echo("compiled " + ", ".join(str(catalogue_path(lang, "mo")) for lang in LANGS))


@translate_group.command("check")
def check_command() -> None:
    """Exit 1 when a msgid lacks a Japanese translation, is fuzzy, is missing from a catalogue, or a .mo is stale."""
    report = check()
    missing = sum(len(v) for v in report.missing.values())
    click.echo(f"{report.messages} messages; missing translations: {missing}; fuzzy: "
               f"{sum(len(v) for v in report.fuzzy.values())}; not in the catalogues: {len(report.unlisted)}; "
               f"stale .mo: {', '.join(report.stale_mo) or 'none'}")
    for lang, msgids in {**report.missing, **{f"{k} (fuzzy)": v for k, v in report.fuzzy.items()}}.items():
        for msgid in msgids:
            click.echo(f"  {lang}: {msgid!r}")
    for msgid in report.unlisted:
        click.echo(f"  not extracted yet: {msgid!r}")
    if not report.ok:
        raise SystemExit(1)
