"""Instrument definition files: the shipped ones and the organisation's own.

Definitions are JSON files (format in ``domain.instruments``). Our generic
example ships in ``resources/instruments``; an organisation drops the
licensed definitions it has rights to into ``<data_dir>/instruments/`` (or
imports them from the app, which validates first and copies the file
there unchanged — some publishers forbid changing items).

A bad file never stops the app: it is reported (path and translated
reasons) and skipped, and the other instruments load. Definitions hold no
client data, so problems may be logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.domain.errors import Problem, ValidationError
from sosku_desktop.domain.instruments import Instrument, instrument_problems, parse_instrument
from sosku_desktop.domain.messages import display_params
from sosku_desktop.store import permissions

log = logging.getLogger(__name__)

BUILTIN_DIR = i18n.RESOURCES / "instruments"
ORG_SUBDIR = "instruments"
MAX_BYTES = 1_000_000

F_UNREADABLE = "instrument.file.unreadable"
F_NOT_UTF8 = "instrument.file.not_utf8"
F_NOT_JSON = "instrument.file.not_json"
F_TOO_LARGE = "instrument.file.too_large"
F_DUPLICATE = "instrument.file.duplicate"
F_EXISTS = "instrument.file.exists"


@dataclass(frozen=True)
class FileProblem:
    """Why one definition file was skipped."""

    path: Path
    problems: tuple[Problem, ...]

    def reasons(self, lang: str) -> list[str]:
        """Every reason as a sentence in ``lang``, prefixed with its place in the file."""
        return [describe(p, lang) for p in self.problems]


@dataclass(frozen=True)
class LoadedInstrument:
    """A usable definition and where it came from."""

    instrument: Instrument
    path: Path
    builtin: bool


@dataclass
class InstrumentCatalog:
    """The instruments usable on this device plus the files that were skipped."""

    loaded: dict[str, LoadedInstrument] = field(default_factory=dict)
    skipped: list[FileProblem] = field(default_factory=list)

    def get(self, instrument_id: str) -> Instrument | None:
        found = self.loaded.get(instrument_id)
        return found.instrument if found else None

    @property
    def instruments(self) -> list[Instrument]:
        """Organisation instruments first (they are why the folder exists), then ours."""
        entries = sorted(self.loaded.values(), key=lambda e: (e.builtin, e.instrument.id))
        return [e.instrument for e in entries]


class InstrumentFileError(Exception):
    """A file that cannot be imported; ``problem`` says why (translatable)."""

    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem
        keys = ", ".join(p.message_key for p in problem.problems)
        super().__init__(f"instrument file rejected ({keys})")


def describe(problem: Problem, lang: str) -> str:
    """ "areas[2].label: Puuttuu." — the place in the file, then the reason."""
    params = display_params(problem.params)
    for name, value in problem.params.items():
        if isinstance(value, float):
            params[name] = i18n.format_number(value, lang)
    text = i18n.tr(problem.message_key, lang, **params)
    return f"{problem.field}: {text}" if problem.field else text


def org_dir(data_dir: Path) -> Path:
    """Where the organisation's own definitions live."""
    return data_dir / ORG_SUBDIR


def read_definition(path: Path) -> tuple[Instrument | None, list[Problem]]:
    """Parse and validate one file; never raises for a bad file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem("", F_TOO_LARGE, {"max_kb": MAX_BYTES // 1000})]
        raw = path.read_bytes()
    except OSError:
        return None, [Problem("", F_UNREADABLE)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem("", F_NOT_UTF8)]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem("", F_NOT_JSON, {"line": exc.lineno, "column": exc.colno})]
    problems = instrument_problems(data)
    if problems:
        return None, problems
    return parse_instrument(data), []


def _definition_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob("*.json") if p.is_file())
    except OSError:
        return []


def load_instruments(
    data_dir: Path | None = None, builtin_dir: Path = BUILTIN_DIR
) -> InstrumentCatalog:
    """Every usable definition: ours, then the organisation folder's (which may override ours).

    Two files of the same id in one folder: the first (by name) wins and the
    second is reported.
    """
    catalog = InstrumentCatalog()
    folders: list[tuple[Path, bool]] = [(builtin_dir, True)]
    if data_dir is not None:
        folders.append((org_dir(data_dir), False))
    for folder, builtin in folders:
        seen_here: dict[str, Path] = {}
        for path in _definition_files(folder):
            instrument, problems = read_definition(path)
            if instrument is not None and instrument.id in seen_here:
                other = seen_here[instrument.id].name
                problems = [Problem("id", F_DUPLICATE, {"id": instrument.id, "other": other})]
                instrument = None
            if instrument is None:
                catalog.skipped.append(FileProblem(path, tuple(problems)))
                log.warning(
                    "instrument file %s skipped: %s",
                    path.name,
                    ", ".join(f"{p.field}:{p.message_key}" for p in problems),
                )
                continue
            seen_here[instrument.id] = path
            catalog.loaded[instrument.id] = LoadedInstrument(instrument, path, builtin)
    return catalog


def builtin_instrument(instrument_id: str, builtin_dir: Path = BUILTIN_DIR) -> Instrument:
    """One of the shipped definitions (demo data and tests use the generic one)."""
    instrument, problems = read_definition(builtin_dir / f"{instrument_id}.json")
    if instrument is None:
        raise ValidationError(problems)
    return instrument


def import_instrument(data_dir: Path, source: Path, replace: bool = False) -> Instrument:
    """Validate ``source`` and copy it unchanged to ``<data_dir>/instruments/<id>.json``.

    Raises ``InstrumentFileError`` if the file is not a valid definition, or
    if the organisation folder already holds that id and ``replace`` is false.
    """
    instrument, problems = read_definition(source)
    if instrument is None:
        raise InstrumentFileError(FileProblem(source, tuple(problems)))
    folder = org_dir(data_dir)
    target = folder / f"{instrument.id}.json"
    clashes = [
        path
        for path in _definition_files(folder)
        if path != target and _id_of(path) == instrument.id
    ]
    if not replace and (target.exists() or clashes):
        problem = Problem("id", F_EXISTS, {"id": instrument.id})
        raise InstrumentFileError(FileProblem(source, (problem,)))
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_copy(source.read_bytes(), target)
    for path in clashes:  # an older copy under another name would shadow the new one
        path.unlink()
    return instrument


def _id_of(path: Path) -> str | None:
    instrument, _ = read_definition(path)
    return instrument.id if instrument else None


def _atomic_copy(data: bytes, target: Path) -> None:
    """Write then rename, so a crash never leaves half a definition behind."""
    permissions.write_private(target, data, atomic=True)


def problem_lines(skipped: Iterable[FileProblem], lang: str) -> list[str]:
    """ "name.json – reason" lines for a notice listing skipped files."""
    return [
        f"{problem.path.name} – {reason}" for problem in skipped for reason in problem.reasons(lang)
    ]
