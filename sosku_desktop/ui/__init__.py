"""The UI room: PySide6 widgets; every write and export goes through ``operations``."""

from sosku_desktop.ui.shell.pyside_imports import stop_source_scan

stop_source_scan()  # before the room's modules are imported (pyside_imports says why)
