"""Read PDFs back with poppler-utils, as a person's viewer would see them."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "pdfimages")


def _need_poppler() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"poppler-utils missing ({', '.join(missing)}): apt-get install poppler-utils")


def _run(args: list[str], pdf: bytes) -> str:
    _need_poppler()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            [*args, str(path), "-"] if args[0] == "pdftotext" else [*args, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout


def text(pdf: bytes, *, layout: bool = True, page: int | None = None) -> str:
    """``pdftotext`` output (``-layout`` keeps table rows on one line)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return _run(args, pdf)


def flat(pdf: bytes) -> str:
    """Text with all whitespace runs collapsed, for phrases that may wrap."""
    return " ".join(text(pdf, layout=False).split())


def info(pdf: bytes) -> str:
    """``pdfinfo`` output: title, author, page count …"""
    return _run(["pdfinfo"], pdf)


def pages(pdf: bytes) -> int:
    match = re.search(r"^Pages:\s+(\d+)", info(pdf), re.MULTILINE)
    assert match, "pdfinfo gave no page count"
    return int(match.group(1))


@dataclass(frozen=True)
class FontRow:
    name: str
    embedded: bool


def fonts(pdf: bytes) -> list[FontRow]:
    """Rows of ``pdffonts`` (name and the "emb" column)."""
    lines = _run(["pdffonts"], pdf).splitlines()
    header = lines[0]
    emb_at = header.index("emb")
    rows = []
    for line in lines[2:]:
        if line.strip():
            rows.append(FontRow(line.split()[0], line[emb_at : emb_at + 3] == "yes"))
    return rows


def image_count(pdf: bytes) -> int:
    return len(_run(["pdfimages", "-list"], pdf).splitlines()[2:])


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    x_min: float
    x_max: float
    y_min: float
    y_max: float


def words(pdf: bytes) -> tuple[list[Word], float, float]:
    """Every word with its box, plus page width and height (points)."""
    html = _run(["pdftotext", "-bbox"], pdf)
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert size
    out = []
    for number, chunk in enumerate(html.split("<page ")[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            chunk,
        ):
            x0, y0, x1, y1, word = m.groups()
            out.append(Word(word, number, float(x0), float(x1), float(y0), float(y1)))
    return out, float(size.group(1)), float(size.group(2))
