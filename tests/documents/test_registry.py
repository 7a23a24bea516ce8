"""The registry: every kind in every format it claims, clear errors otherwise."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from sosku_desktop.documents import (
    FORMATS,
    KINDS,
    MIME_TYPES,
    REQUIREMENTS,
    UnknownKindError,
    UnsupportedFormatError,
    build_document,
    document_title,
    suggested_filename,
)
from sosku_desktop.documents.kinds import FILE_KEYS
from sosku_desktop.documents.phrases import t
from tests.documents import pdftools
from tests.documents.sample import context, context_for

PACKAGE = Path(__file__).resolve().parents[2] / "sosku_desktop" / "documents"


def test_kinds_formats_and_requirements_agree() -> None:
    assert set(FORMATS) == set(KINDS) == set(REQUIREMENTS)
    assert len(KINDS) == 14
    assert {fmt for fmts in FORMATS.values() for fmt in fmts} <= set(MIME_TYPES)
    assert FORMATS["activity-money"] == ("pdf", "csv", "txt")
    assert FORMATS["access-export"] == ("pdf", "json")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_builds_in_every_format(kind: str, lang: str) -> None:
    ctx = context_for(kind, lang)
    for fmt in FORMATS[kind]:
        data = build_document(kind, ctx, fmt)
        if fmt == "pdf":
            assert data.startswith(b"%PDF-")
            assert pdftools.pages(data) >= 1
        elif fmt == "json":
            assert json.loads(data)["client"]["last_name"] == "Meikäläinen"
        else:
            assert data.decode("utf-8-sig").strip()


def test_unknown_kind_and_format_are_refused() -> None:
    with pytest.raises(UnknownKindError):
        build_document("invoice", context(), "pdf")
    with pytest.raises(UnsupportedFormatError, match="pdf, json"):
        build_document("access-export", context(), "txt")
    with pytest.raises(UnknownKindError):
        document_title("invoice")


def test_titles_and_file_names() -> None:
    assert document_title("agreement", "sv") == "Avtal om social rehabilitering"
    assert document_title("feedback", "fi") == "Palautelomake"
    ctx = context("fi")
    assert suggested_filename("agreement", ctx) == "sopimus-2024-02-05.pdf"
    assert suggested_filename("activity-money", ctx, "csv") == "toimintarahat-2024-01.csv"
    for kind in KINDS:
        name = suggested_filename(kind, ctx, FORMATS[kind][0])
        assert name.startswith(t(FILE_KEYS[kind], "fi"))
        assert "Meik" not in name and " " not in name


def test_documents_import_only_domain_and_i18n() -> None:
    allowed = ("sosku_desktop.documents", "sosku_desktop.domain", "sosku_desktop.i18n")
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "sosku_desktop":
                names = [f"sosku_desktop.{a.name}" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("sosku_desktop"):
                    assert name.startswith(allowed), (path.name, name)
