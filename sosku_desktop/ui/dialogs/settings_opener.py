"""Opening Settings: what the form starts from is read in the background, then it shows.

The dialog's fields start from the organisation's stored texts and rules;
reading them on the UI thread was a store read per opening while the
window waited. ``open_settings`` reads them through the background-task
helper and builds the dialog (with its Passphrase and About tabs) when they arrive.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from sosku_desktop.operations.settings import SettingsForm, settings_form
from sosku_desktop.ui.dialogs.about_tab import AboutTab
from sosku_desktop.ui.dialogs.passphrase_tab import PassphraseTab
from sosku_desktop.ui.dialogs.settings_dialog import SettingsDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.lifetime import open_dialog


def open_settings(
    ctx: AppContext, parent: QWidget, on_open: Callable[[SettingsDialog], None]
) -> SettingsDialog | None:
    """Read the settings, then open the dialog window-modally and call ``on_open`` with it.

    Returns the dialog when it is already open (tasks run synchronously, as in
    tests), else ``None``: it opens when the read is done. Asking again while
    the read runs opens one dialog, not two.
    """
    store = ctx.store
    opened: list[SettingsDialog] = []

    def show(form: SettingsForm) -> None:
        dialog = SettingsDialog(ctx, form, parent)
        dialog.tabs.addTab(PassphraseTab(ctx), ctx.tr("ui.passphrase.tab"))
        dialog.tabs.addTab(AboutTab(store.data_dir, ctx.lang), ctx.tr("ui.about.tab"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        open_dialog(dialog)
        on_open(dialog)
        opened.append(dialog)

    ctx.tasks.latest(("settings", id(parent)), lambda _t: settings_form(store), show, owner=parent)
    return opened[0] if opened else None
