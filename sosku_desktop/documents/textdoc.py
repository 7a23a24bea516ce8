"""A tiny document model rendered both to PDF and to paste-ready text.

Decision drafts and other record entries are written once as sections of
labelled fields, paragraphs and lists; ``render_text`` turns them into
clean blocks for the city's client-record system (headed sections, no
layout junk), and ``layout.section_flowables`` into the PDF. One source
means the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

EMPTY = "–"


@dataclass(frozen=True)
class Field:
    """A labelled value, e.g. ("Voimassaolo", "4.1.–3.4.2024")."""

    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A headed block; any of fields, paragraphs and list items may be empty."""

    heading: str = ""
    fields: tuple[Field, ...] = ()
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    numbered: bool = False


@dataclass(frozen=True)
class TextDocument:
    title: str
    sections: tuple[Section, ...]
    #: A caution printed in the PDF only (e.g. "draft"); pasted text leaves it out.
    note: str = ""


def _field_lines(f: Field) -> list[str]:
    value = f.value.strip() or EMPTY
    if "\n" in value:
        return [f"{f.label}:", *value.splitlines()]
    return [f"{f.label}: {value}"]


def section_lines(section: Section) -> list[str]:
    lines: list[str] = []
    if section.heading:
        lines.append(section.heading)
    for f in section.fields:
        lines.extend(_field_lines(f))
    for p in section.paragraphs:
        if p.strip():
            lines.extend(p.strip().splitlines())
    for i, item in enumerate(section.items, start=1):
        marker = f"{i}." if section.numbered else "-"
        # leading spaces nest an item (sub-goals under their goal)
        indent = " " * (len(item) - len(item.lstrip(" ")))
        item_lines = item.strip().splitlines() or [EMPTY]
        lines.append(f"{indent}{marker} {item_lines[0]}")
        lines.extend(f"{indent}  {rest}" for rest in item_lines[1:])
    return lines


def render_text(doc: TextDocument) -> str:
    """Plain text: the title, then sections separated by blank lines."""
    blocks = [[doc.title]]
    blocks.extend(lines for s in doc.sections if (lines := section_lines(s)))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"
