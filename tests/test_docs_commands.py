"""Every ``sosku …`` and ``sosku-server …`` command the docs show names real commands and flags.

A newcomer copies the README's table or a guide's example; a subcommand or
flag that was renamed since fails with argparse's usage text and no hint of
what the doc meant. This reads the code of README.md and docs/*.md (inline
spans and fenced blocks, not prose), walks each command through the real
parsers (``cli.build_parser`` and the relay's) and names every subcommand
or ``--flag`` they do not know. Placeholders (``KIND``, ``DIR``, ``…``) and
alternatives written ``a|b`` are allowed; each alternative must exist.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sosku_desktop import cli
from sosku_desktop.sync.server import cli as server_cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PROGRAMS = {
    "sosku": cli.build_parser,
    "sosku-cli": cli.build_parser,  # the Windows console companion: the same parser
    "sosku-server": server_cli._parser,
}
#: A program's name as a command word (after a path such as ``.venv/bin/``), then its words.
COMMAND = re.compile(r"(?<![\w.-])(sosku-server|sosku-cli|sosku)(?=\s)((?:\s+[^\s`#;]+)*)")
#: A fenced block (its lines are commands) or an inline span (it may wrap onto the next line).
CODE = re.compile(r"```[^\n]*\n(.*?)```|`((?:[^`\n]|\n(?!\s*\n))+)`", flags=re.S)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {flag: action for action in parser._actions for flag in action.option_strings}


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0


def problems_of(program: str, words: list[str]) -> list[str]:
    """What the parsers do not know of one command line (empty: all known)."""
    parser = PROGRAMS[program]()
    known = _options(parser)
    found: list[str] = []
    skip_value = False
    subcommand_open = True
    for word in words:
        word = word.strip("[]")
        if not word:
            continue
        if skip_value:
            skip_value = False
            continue
        if word.startswith("--"):
            flag = word.split("=")[0]
            action = known.get(flag)
            if action is None:
                found.append(f"{program}: unknown flag {flag}")
            else:
                skip_value = _takes_value(action) and "=" not in word
            continue
        choices = _subcommands(parser)
        if not (choices and subcommand_open):
            continue
        alternatives = word.split("|")
        if not all(re.fullmatch(r"[a-z][a-z-]*", a) for a in alternatives):
            subcommand_open = False  # a placeholder (KIND, "Team North", …): stop walking
            continue
        missing = [a for a in alternatives if a not in choices]
        if missing:
            found.append(f"{program}: unknown command {' '.join(missing)}")
            subcommand_open = False
        elif len(alternatives) > 1:
            subcommand_open = False  # several ways on: their flags are not checked
        else:
            parser = choices[word]
            known = {**known, **_options(parser)}
    return found


def commands_in(text: str) -> list[tuple[str, list[str]]]:
    """(program, words) of every command in the text's code spans and blocks."""
    found = []
    for match in CODE.finditer(text):
        block, span = match.group(1), match.group(2)
        code = (block or span.replace("\n", " ")).replace("\\\n", " ").replace("\\|", "|")
        for line in code.splitlines():
            for command in COMMAND.finditer(line):
                found.append((command.group(1), command.group(2).split()))
    return found


def test_every_command_in_the_docs_is_known_to_its_parser() -> None:
    problems = [
        f"{doc.relative_to(ROOT)}: {problem} in {' '.join([program, *words])}"
        for doc in DOCS
        for program, words in commands_in(doc.read_text("utf-8"))
        for problem in problems_of(program, words)
    ]
    assert problems == []


def test_the_check_finds_a_renamed_command_or_flag() -> None:
    text = (
        "Run `sosku check --data-dir DIR`, `sosku sync join|status|pull\n--data-dir DIR`\n"
        "and\n```sh\nsosku-server --db URL device approve --team T D --fingerprnt F\n"
        "sosku report team --data-dir D --from 2026-01 --format csv --out f.csv\n```\n"
    )
    commands = commands_in(text)
    assert [program for program, _ in commands] == ["sosku", "sosku", "sosku-server", "sosku"]
    assert [problems_of(program, words) for program, words in commands] == [
        [],
        ["sosku: unknown command pull"],
        ["sosku-server: unknown flag --fingerprnt"],
        [],
    ]
