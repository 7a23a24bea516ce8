"""PySide6 without its source scan of every imported module.

Once PySide6 is imported it hooks ``__import__``, and for every Python module
imported after it reads the module's whole source file (``inspect.getsource``
in ``shibokensupport.feature._mod_uses_pyside``) only to see whether the text
mentions "PySide6", for its optional ``__feature__`` switches (snake_case,
true_property). This app uses no such switch. The scan read and kept in
``linecache`` about 800 source files (36 MiB of the window's memory) and was a
good part of the later pages' background import, which competes with the UI
thread for the GIL in the first seconds after start.

With no switch selected anywhere, a module marked as using PySide (feature
default 0, "no feature") behaves as one marked "ignore" (-1): calls go to the
plain Qt names either way. So every module is answered "uses PySide" without
reading it. If a PySide6 release renames the hook, nothing is changed.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any, cast

import PySide6  # noqa: F401 (installs the import hook this module answers)


def _uses_pyside(module: ModuleType) -> bool:
    """PySide's question for each imported module, answered without its source."""
    return True


def stop_source_scan() -> bool:
    """Answer PySide's per-module question without reading the source; whether the
    hook was found (a newer PySide6 may have none)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        return False
    cast(Any, feature)._mod_uses_pyside = _uses_pyside
    return True
