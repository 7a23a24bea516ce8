"""Groups page and attendance sheet on a real encrypted store, driven by the keyboard."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import attendance, codes, reminders
from sosku_desktop.domain.models import (
    Assessment,
    Attendance,
    AuditEntry,
    Client,
    Decision,
    Group,
    GroupMember,
    GroupSession,
    Meeting,
    Period,
)
from sosku_desktop.operations import groups
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import derived_id, new_id
from sosku_desktop.ui.dialogs.groups_dialogs import SessionDialog
from sosku_desktop.ui.pages.attendance_sheet import NOTE, STATUS
from sosku_desktop.ui.pages.groups_page import GroupsPage
from sosku_desktop.ui.widgets.common import dot_font
from sosku_desktop.ui.widgets.keys import focus_into
from tests.ui.shell_support import context

TODAY = date(2026, 11, 24)
P, A, E = codes.ATTENDANCE_PRESENT, codes.ATTENDANCE_ABSENT, codes.ATTENDANCE_EXCUSED


@dataclass
class World:
    store: Store
    group: Group
    sessions: list[GroupSession]
    members: dict[str, Client]
    outsider: Client


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """Three members of one group (each with an active period), one non-member, two past
    sessions and one upcoming."""
    store = Store.create(tmp_path / "d", "passphrase")
    names = [("Aino", "Aalto"), ("Bertta", "Berg"), ("Cecilia", "Carlsson"), ("Olli", "Ojala")]
    clients = [Client(id=new_id(), first_name=f, last_name=lname) for f, lname in names]
    group = Group(id=new_id(), name="Arjen taidot", place="Lyhty", schedule="ti 13–15")
    sessions = [
        GroupSession(
            id=new_id(), group_id=group.id, on=TODAY - timedelta(days=7), starts_at="13.00"
        ),
        GroupSession(id=new_id(), group_id=group.id, on=TODAY, starts_at="13.00", theme="Uni"),
        GroupSession(
            id=new_id(), group_id=group.id, on=TODAY + timedelta(days=7), starts_at="13.00"
        ),
    ]
    with store.write() as w:
        w.add(group)
        for s in sessions:
            w.add(s)
        for c in clients:
            w.add(c)
            w.add(
                Period(
                    id=new_id(),
                    client_id=c.id,
                    worker_id=None,
                    start=TODAY - timedelta(days=60),
                    planned_end=TODAY + timedelta(days=300),
                    status=codes.PERIOD_ACTIVE,
                )
            )
        for c in clients[:3]:
            w.add(
                GroupMember(
                    id=new_id(),
                    group_id=group.id,
                    client_id=c.id,
                    joined_on=TODAY - timedelta(days=30),
                )
            )
    yield World(store, group, sessions, {c.first_name: c for c in clients[:3]}, clients[3])
    store.close()


def _page(qtbot: QtBot, world: World, lang: str = "en") -> GroupsPage:
    """The page shown in an active window, as the worker has it (shortcuts, focus)."""
    page = GroupsPage(context(world.store, lang))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def _marks(store: Store, session_id: str) -> dict[str, Attendance]:
    with store.read() as r:
        return {a.client_id: a for a in r.list(Attendance, session_id=session_id)}


def _keys(qtbot: QtBot, page: GroupsPage, *keys: str | Qt.Key) -> None:
    for key in keys:
        qtbot.keyClick(page.sheet.view, key)


def _sheet_marks(page: GroupsPage) -> dict[str, str | None]:
    return {row.entry.client_id: row.entry.status for row in page.sheet.model.rows}


def test_group_list_shows_name_schedule_and_member_count(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world)
    assert page.group_model.rowCount() == 1
    assert page.group_model.index(0, 0).data() == "Arjen taidot"
    assert page.current_group_id == world.group.id
    assert page.member_model.rowCount() == 3
    assert page.session_model.rowCount() == 3
    assert page.member_title.text() == "Members (3)"
    # The session of today is selected, ready to open.
    assert page._selected_session_id() == world.sessions[1].id


def test_take_attendance_with_keys_only_and_see_it_again(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world)
    session = world.sessions[1]
    assert page.open_session(session.id)
    aino, bertta, cecilia = (world.members[n].id for n in ("Aino", "Bertta", "Cecilia"))
    assert [row.entry.client_id for row in page.sheet.model.rows] == [aino, bertta, cecilia]
    assert not page.sheet.save_button.isEnabled()

    # One key each moves to the next person; an arrow goes back to correct a mark.
    _keys(qtbot, page, "p", "a", "e", Qt.Key.Key_Up, "p")
    assert _sheet_marks(page) == {aino: P, bertta: P, cecilia: E}
    _keys(qtbot, page, Qt.Key.Key_Up, Qt.Key.Key_Up, "e", "a", Qt.Key.Key_Down, "e")
    assert _sheet_marks(page) == {aino: E, bertta: A, cecilia: E}
    _keys(qtbot, page, Qt.Key.Key_Up, Qt.Key.Key_Up, "p")
    assert _sheet_marks(page) == {aino: P, bertta: A, cecilia: E}
    assert page.sheet.save_button.isEnabled()
    qtbot.keyClick(page.sheet.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    stored = _marks(world.store, session.id)
    assert {cid: a.status for cid, a in stored.items()} == {aino: P, bertta: A, cecilia: E}
    assert all(a.id == derived_id(session.id, cid) for cid, a in stored.items())
    assert not page.sheet.has_unsaved_changes()

    page.close_sheet()
    assert "present 1" in page.session_model.index(1, 3).data()
    fresh = _page(qtbot, world)
    fresh.open_session(session.id)
    assert _sheet_marks(fresh) == {aino: P, bertta: A, cecilia: E}


def test_next_weeks_session_cannot_be_marked_present_ahead_but_excused_can(
    qtbot: QtBot, world: World
) -> None:
    page = _page(qtbot, world)
    coming = world.sessions[2]  # a week from today
    assert page.open_session(coming.id)
    aino, bertta = world.members["Aino"].id, world.members["Bertta"].id
    _keys(qtbot, page, "p", "e")
    qtbot.keyClick(page.sheet.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _marks(world.store, coming.id) == {}  # no activity money for a day not yet come
    assert page.sheet.problem.isVisible()
    assert "1.12.2026" in page.sheet.problem.text() and "excused" in page.sheet.problem.text()
    assert _sheet_marks(page)[aino] == P and page.sheet.has_unsaved_changes()  # kept as typed

    _keys(qtbot, page, Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Delete)
    qtbot.keyClick(page.sheet.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert {cid: a.status for cid, a in _marks(world.store, coming.id).items()} == {bertta: E}
    assert not page.sheet.problem.isVisible()


def test_finnish_initials_mark_and_delete_clears(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world, "fi")
    session = world.sessions[1]
    page.open_session(session.id)
    assert "L = läsnä" in page.sheet.hint.text()
    _keys(qtbot, page, "l", "p", "i")
    assert list(_sheet_marks(page).values()) == [P, A, E]
    _keys(qtbot, page, "x")  # an unknown letter does nothing
    assert list(_sheet_marks(page).values()) == [P, A, E]
    _keys(qtbot, page, Qt.Key.Key_Delete, "3")
    assert list(_sheet_marks(page).values()) == [P, A, E]
    _keys(qtbot, page, Qt.Key.Key_Delete)
    assert list(_sheet_marks(page).values()) == [P, A, None]
    assert page.sheet.save()
    assert {a.status for a in _marks(world.store, session.id).values()} == {P, A}

    # Clearing a saved mark removes it; marking again revives the same row.
    _keys(qtbot, page, Qt.Key.Key_Up, Qt.Key.Key_Delete)
    page.sheet.save()
    assert len(_marks(world.store, session.id)) == 1
    _keys(qtbot, page, "p")
    page.sheet.save()
    bertta = world.members["Bertta"].id
    assert _marks(world.store, session.id)[bertta].id == derived_id(session.id, bertta)


def test_a_note_per_person_with_enter(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world)
    session = world.sessions[1]
    page.open_session(session.id)
    _keys(qtbot, page, "e", Qt.Key.Key_Up, Qt.Key.Key_Return)
    assert page.sheet.view.currentIndex().column() == NOTE
    editor = page.sheet.view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.hasFocus()
    qtbot.keyClicks(editor, "doctor's appointment")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # Qt commits an edit closed with Enter through a queued call.
    qtbot.waitUntil(lambda: page.sheet.view.state() != QAbstractItemView.State.EditingState)
    page.sheet.save()
    aino = world.members["Aino"].id
    assert _marks(world.store, session.id)[aino].note == "doctor's appointment"
    # Left goes back to the marks, where a letter marks again instead of typing.
    assert page.sheet.view.currentIndex().column() == NOTE
    _keys(qtbot, page, Qt.Key.Key_Left, "p")
    assert page.sheet.view.currentIndex().column() == STATUS
    assert page.sheet.model.rows[0].entry.status == P
    assert page.sheet.model.rows[0].entry.note == "doctor's appointment"


def test_opening_a_sheet_logs_one_view_per_person(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world)
    session = world.sessions[1]
    page.open_session(session.id)
    with world.store.read() as r:
        views = [
            a
            for a in r.list(AuditEntry, action=codes.AUDIT_VIEW)
            if a.record_table == "group_sessions"
        ]
    assert sorted(a.client_id for a in views) == sorted(c.id for c in world.members.values())
    assert {a.record_id for a in views} == {session.id}


def test_two_consecutive_absences_create_the_reminder(qtbot: QtBot, world: World) -> None:
    def group_reminders() -> list[reminders.Reminder]:
        with world.store.read() as r:
            found = reminders.compute_reminders(
                TODAY,
                r.list(Period),
                r.list(Decision),
                r.list(Meeting),
                r.list(GroupSession),
                r.list(Attendance),
                r.list(Assessment),
                r.list(Client),
                load_rules(r),
                members=r.list(GroupMember),
            )
        return [x for x in found if x.kind == reminders.GROUP_ABSENCES]

    cecilia = world.members["Cecilia"].id
    page = _page(qtbot, world)
    page.open_session(world.sessions[0].id)
    _keys(qtbot, page, "p", "p", "a")
    page.sheet.save()
    assert group_reminders() == []

    page.open_session(world.sessions[1].id)
    _keys(qtbot, page, "p", "p", "a")
    page.sheet.save()
    found = group_reminders()
    assert [(x.client_id, x.params["group_id"]) for x in found] == [(cecilia, world.group.id)]
    # The member list flags her too.
    page.close_sheet()
    rates = {
        page.member_model.index(row, 0).data(): page.member_model.index(row, 2).data()
        for row in range(page.member_model.rowCount())
    }
    assert rates["Cecilia Carlsson"].startswith("⚠")
    assert not rates["Aino Aalto"].startswith("⚠")


def test_add_a_guest(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world)
    session = world.sessions[1]
    page.open_session(session.id)
    combo = page.sheet.guest_combo
    assert combo.findText("Aino Aalto") < 0  # members are not offered as guests
    combo.setEditText("Nobody Known")
    qtbot.mouseClick(page.sheet.add_guest_button, Qt.MouseButton.LeftButton)
    assert page.sheet.model.rowCount() == 3
    assert page.sheet.status.text() == "Choose the guest from the client list."

    combo.setEditText("olli ojala")
    qtbot.mouseClick(page.sheet.add_guest_button, Qt.MouseButton.LeftButton)
    assert page.sheet.model.rowCount() == 4
    assert page.sheet.model.index(3, 0).data() == "Olli Ojala (guest)"
    qtbot.keyClick(page.sheet.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    mark = _marks(world.store, session.id)[world.outsider.id]
    assert (mark.status, mark.guest) == (P, True)
    with world.store.read() as r:
        assert world.outsider.id not in {m.client_id for m in r.list(GroupMember)}

    again = _page(qtbot, world)
    again.open_session(session.id)
    assert again.sheet.model.index(3, 0).data() == "Olli Ojala (guest)"


def test_a_guest_whose_period_has_ended_cannot_be_marked_present(
    qtbot: QtBot, world: World
) -> None:
    with world.store.write() as w:
        (olli,) = [p for p in Reader(w.conn).list(Period) if p.client_id == world.outsider.id]
        w.update(
            dataclasses.replace(
                olli,
                status=codes.PERIOD_ENDED,
                planned_end=TODAY - timedelta(days=3),
                ended_on=TODAY - timedelta(days=3),
            )
        )
    page = _page(qtbot, world)
    session = world.sessions[1]
    page.open_session(session.id)
    page.sheet.guest_combo.setEditText("olli ojala")
    qtbot.mouseClick(page.sheet.add_guest_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(page.sheet.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _marks(world.store, session.id) == {}  # no activity money outside the period
    assert page.sheet.problem.isVisible()
    assert "24.11.2026 (1 client)" in page.sheet.problem.text()
    assert page.sheet.model.rowCount() == 4 and page.sheet.has_unsaved_changes()  # kept


def test_members_are_added_and_removed(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world)
    page.member_combo.setEditText("Olli Ojala")
    assert page.add_selected_member()
    assert page.member_model.rowCount() == 4
    with world.store.read() as r:
        rows = r.list(GroupMember, client_id=world.outsider.id)
    assert [(m.group_id, m.joined_on, m.left_on) for m in rows] == [(world.group.id, TODAY, None)]

    page.member_view.setCurrentIndex(page.member_model.index(0, 0))  # Aino Aalto
    asked = page.remove_selected_member()  # asks first, Cancel the default: no slip removes
    assert isinstance(asked, QMessageBox) and asked.isVisible()
    assert "Aino Aalto" in asked.text()
    assert asked.defaultButton() is asked.escapeButton()
    assert asked.defaultButton().text() == "Cancel"
    qtbot.keyClick(asked, Qt.Key.Key_Escape)
    assert page.member_model.rowCount() == 4
    with world.store.read() as r:
        assert [m.left_on for m in r.list(GroupMember, client_id=world.members["Aino"].id)] == [
            None
        ]

    page.member_view.setFocus()  # the keyboard way: Delete in the list asks too
    qtbot.keyClick(page.member_view, Qt.Key.Key_Delete)
    (asked,) = [b for b in page.findChildren(QMessageBox, "removeMemberBox") if b.isVisible()]
    remove = next(b for b in asked.buttons() if b is not asked.defaultButton())
    assert remove.text() == "Remove Aino Aalto"
    assert remove.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert [page.member_model.index(r, 0).data() for r in range(page.member_model.rowCount())] == [
        "Bertta Berg",
        "Cecilia Carlsson",
        "Olli Ojala",
    ]
    with world.store.read() as r:
        aino = r.list(GroupMember, client_id=world.members["Aino"].id)
    assert [m.left_on for m in aino] == [TODAY]

    page.member_combo.setEditText("Somebody Else")
    assert not page.add_selected_member()
    assert page.member_message.text() == "Choose the member from the client list."


def test_new_session_validates_and_cancelling_makes_the_sheet_read_only(
    qtbot: QtBot, world: World
) -> None:
    page = _page(qtbot, world)
    template = page._session_template()
    assert template.on == TODAY + timedelta(days=14)
    assert template.starts_at == "13.00"
    dialog = SessionDialog(template, "en", page)
    qtbot.addWidget(dialog)
    dialog.starts_at.setText("25.61")
    dialog.accept()
    assert dialog.result() != SessionDialog.DialogCode.Accepted
    assert dialog.boxes["starts_at"].error == "Write the time like 13.30."
    assert dialog.starts_at.text() == "25.61"  # kept for correcting
    dialog.starts_at.setText("14:15")
    dialog.theme.setText("Budget")
    assert dialog.validate()
    new = dialog.value()
    page.add_session(new)
    assert page._selected_session_id() == new.id
    with world.store.read() as r:
        stored = r.get(GroupSession, new.id)
    assert (stored.on, stored.starts_at, stored.theme) == (template.on, "14.15", "Budget")

    page.session_view.setCurrentIndex(page.session_model.index(1, 0))
    page.toggle_selected_session()
    with world.store.read() as r:
        assert r.get(GroupSession, world.sessions[1].id).cancelled
    assert page.session_model.index(1, 3).data() == "Cancelled"
    assert page.cancel_session_button.text() == "Restore session"
    page.open_session(world.sessions[1].id)
    assert not page.sheet.banner.isHidden()
    _keys(qtbot, page, "p")
    assert set(_sheet_marks(page).values()) == {None}
    assert not page.sheet.save()


def test_refresh_keeps_the_group_and_sees_new_rows(qtbot: QtBot, world: World) -> None:
    page = _page(qtbot, world)
    other = Group(id=new_id(), name="Kävelyryhmä")
    with world.store.write() as w:
        w.add(other)
    page.refresh()
    assert page.group_model.rowCount() == 2
    assert page.current_group_id == world.group.id
    assert page.select_group(other.id)
    assert page.member_model.rowCount() == 0
    assert page.name_label.text() == "Kävelyryhmä"


def test_a_group_is_logged_as_viewed_when_it_is_shown(qtbot: QtBot, world: World) -> None:
    def group_views() -> list[AuditEntry]:
        with world.store.read() as r:
            return [
                a for a in r.list(AuditEntry, action=codes.AUDIT_VIEW) if a.record_table == "groups"
            ]

    page = GroupsPage(context(world.store, "en"))
    qtbot.addWidget(page)
    assert page.member_model.rowCount() == 3
    assert group_views() == []  # built but not yet on screen: nobody has seen it
    page.show()
    qtbot.waitExposed(page)
    views = group_views()
    assert sorted(a.client_id for a in views) == sorted(c.id for c in world.members.values())
    assert {a.record_id for a in views} == {world.group.id}
    page.refresh()
    assert len(group_views()) == 3  # a refresh shows nothing new


def test_enter_on_a_session_opens_its_sheet_and_a_member_opens_the_client(
    qtbot: QtBot, world: World
) -> None:
    page = _page(qtbot, world)
    page.session_view.setFocus()
    page.session_view.setCurrentIndex(page.session_model.index(0, 0))
    qtbot.keyClick(page.session_view, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.sheet
    assert page.sheet.session is not None and page.sheet.session.id == world.sessions[0].id
    qtbot.mouseClick(page.sheet.back, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.detail

    rect = page.member_view.visualRect(page.member_model.index(1, 0))
    viewport = page.member_view.viewport()
    with qtbot.waitSignal(page.client_activated) as opened:
        # A real double click starts with a press; QTest's double click alone has none.
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [world.members["Bertta"].id]


def test_a_session_is_moved_with_its_marks_and_a_refusal_is_shown(
    qtbot: QtBot, world: World
) -> None:
    """Held a day earlier than planned: Move session… keeps the marks; moving a marked
    session to a day still to come is refused in words under the sessions."""
    page = _page(qtbot, world)
    last_week = world.sessions[0]
    member = next(iter(world.members.values()))
    groups.save_attendance(world.store, last_week.id, [attendance.SheetEntry(member.id, P)], TODAY)
    page.session_view.setCurrentIndex(page.session_model.index(0, 0))
    assert page._selected_session_id() == last_week.id
    assert page.move_session_button.isEnabled()
    assert page.move_session_button.text() == "Move session…"

    dialog = SessionDialog(last_week, "en", page, moving=True)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Move group session"
    day = last_week.on - timedelta(days=1)
    dialog.day.setDate(QDate(day.year, day.month, day.day))
    dialog.starts_at.setText("10.00")
    page.move_session(dialog.value(), last_week)
    with world.store.read() as r:
        stored = r.get(GroupSession, last_week.id)
    assert (stored.on, stored.starts_at) == (day, "10.00")
    assert _marks(world.store, last_week.id)[member.id].status == P
    assert page._selected_session_id() == last_week.id
    assert page.session_message.isHidden()

    ahead = dataclasses.replace(stored, on=TODAY + timedelta(days=3))
    page.move_session(ahead, stored)
    assert not page.session_message.isHidden()
    assert "cannot be moved to a day still to come" in page.session_message.text()
    with world.store.read() as r:
        assert r.get(GroupSession, last_week.id).on == day


def test_ctrl_3_puts_the_keyboard_on_the_group_list_or_the_open_sheet(
    qtbot: QtBot, world: World
) -> None:
    """The page's first control is New group…: Ctrl+3 then Enter opened a new-group dialog
    instead of the group the worker came for."""
    page = _page(qtbot, world)
    assert focus_into(page)
    assert page.focusWidget() is page.group_list
    qtbot.keyClick(page.group_list, Qt.Key.Key_Down)  # arrows pick a group at once
    page.open_session(world.sessions[1].id)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.sheet)
    page.group_list.setFocus()
    assert focus_into(page)
    assert page.focusWidget() is page.sheet.view


def test_pill_letters_fit_their_dots_at_large_text(qtbot: QtBot, world: World) -> None:
    """At 150 % text the sessions table's rows stay 30 px: its 14 px dots held a letter
    of the text's size, cut in half (P, A, N, F showed as half circles)."""
    page = _page(qtbot, world)
    large = QFont(page.session_view.font())
    large.setPointSizeF(large.pointSizeF() * 1.5)
    row = page.session_view.verticalHeader().defaultSectionSize()
    dot = row - 10 - 6  # the delegate's margins, then the pill's
    assert QFontMetricsF(large).height() > dot  # the case that was cut
    letter = dot_font(large, dot)
    assert letter.bold() and QFontMetricsF(letter).height() <= dot
    normal = dot_font(page.sheet.view.font(), 40)  # room enough: the text's own size
    assert QFontMetricsF(normal).height() == pytest.approx(
        QFontMetricsF(dot_font(normal, 400)).height()
    )
