"""Qt's own texts in the worker's language: context menus ("&Undo"), dialog buttons.

Qt ships its translations as ``qtbase_<lang>.qm`` in the PySide6 wheel
(``PySide6/Qt/translations``); the frozen build carries the Finnish and
Swedish ones (installer/sosku.spec, checked by scripts/build-check.sh). A
``QTranslator`` for the chosen language is installed when the language is
set or changed; English needs none. Dates and numbers in Qt's widgets follow
``QLocale.setDefault``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from sosku_desktop import i18n

#: The languages that need Qt's translation (English is Qt's own language).
TRANSLATED = ("fi", "sv")


class _Installed:
    """The translator in use, and one loaded translator per language, kept for
    reuse: a language switch must not leave a new QTranslator behind each time."""

    translator: QTranslator | None = None
    loaded: dict[str, QTranslator] = {}


def translation_dirs() -> list[Path]:
    """Where ``qtbase_*.qm`` may be: Qt's own path, the wheel, a frozen bundle."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    import PySide6

    dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "PySide6" / "Qt" / "translations")
    return dirs


def qm_file(lang: str) -> Path | None:
    for folder in translation_dirs():
        candidate = folder / f"qtbase_{lang}.qm"
        if candidate.is_file():
            return candidate
    return None


def set_language(lang: str) -> bool:
    """Install Qt's translation for ``lang`` (replacing the previous one) and make it
    the default locale of Qt's widgets; True when Qt now speaks ``lang``."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _Installed.translator is not None:
        app.removeTranslator(_Installed.translator)
        _Installed.translator = None
    QLocale.setDefault(QLocale(i18n.locale_of(lang)))
    if lang not in TRANSLATED:
        return lang == "en"
    translator = _cached(lang) or _load(app, lang)
    if translator is None:
        return False
    app.installTranslator(translator)
    _Installed.translator = translator
    return True


def _cached(lang: str) -> QTranslator | None:
    """The translator loaded earlier, unless its application has gone (tests)."""
    translator = _Installed.loaded.get(lang)
    if translator is not None and not shiboken6.isValid(translator):
        del _Installed.loaded[lang]
        return None
    return translator


def _load(app: QCoreApplication, lang: str) -> QTranslator | None:
    path = qm_file(lang)
    translator = QTranslator(app)
    if path is None or not translator.load(str(path)):
        translator.deleteLater()
        return None
    _Installed.loaded[lang] = translator
    return translator
