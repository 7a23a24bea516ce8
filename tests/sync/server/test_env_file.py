"""Admin commands with the service's settings: ``sosku-server --env-file``.

QA (municipal IT role, session 21) followed docs/deploy-server.md as an
administrator without a root shell: ``sudo -u sosku-relay env $(grep …
/etc/sosku-relay/relay.env | xargs) sosku-server …`` expands the
``$(…)`` in the administrator's own shell, which may not read the 0640
file, so the command ran with no settings at all and used the default
``sosku-server.sqlite3`` in the current folder: ``team create`` "worked"
on a stray empty database. Now the relay reads the file itself, as the
service user, and an admin command refuses to invent a database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.sync.server.helpers import admin

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "deploy-server.md"


def sosku_server(cwd: Path, *args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOSKU_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "sosku_desktop.sync.server.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )
    return done.returncode, done.stdout, done.stderr


def test_env_file_gives_the_admin_command_the_services_database(tmp_path: Path) -> None:
    relay = tmp_path / "state" / "relay.sqlite3"
    settings = tmp_path / "relay.env"
    settings.write_text(
        "# the service's settings\n\n"
        f'SOSKU_SERVER_DB="sqlite:///{relay}"\n'
        "SOSKU_SERVER_PORT=8765\n"
        "  SOSKU_SERVER_LOG = INFO  \n"
        "; a systemd comment\n",
        "utf-8",
    )
    settings.chmod(0o640)
    code, team_id, err = sosku_server(tmp_path, "--env-file", str(settings), "team", "create", "N")
    assert code == 0, err
    assert relay.exists()
    assert "log head" in admin(f"sqlite:///{relay}", "status", "--team", team_id.strip())
    code, out, err = sosku_server(tmp_path, "--env-file", str(settings), "check-config")
    assert code == 0 and "database: ok" in out, out + err
    assert not (tmp_path / "sosku-server.sqlite3").exists()


def test_a_flag_wins_over_the_env_file(tmp_path: Path) -> None:
    settings = tmp_path / "relay.env"
    settings.write_text(f"SOSKU_SERVER_DB=sqlite:///{tmp_path / 'from-file.sqlite3'}\n", "utf-8")
    flag = f"sqlite:///{tmp_path / 'from-flag.sqlite3'}"
    code, _, err = sosku_server(
        tmp_path, "--env-file", str(settings), "--db", flag, "team", "create", "N"
    )
    assert code == 0, err
    assert (tmp_path / "from-flag.sqlite3").exists()
    assert not (tmp_path / "from-file.sqlite3").exists()


def test_an_unreadable_env_file_is_one_plain_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-such.env"
    code, _, err = sosku_server(tmp_path, "--env-file", str(missing), "team", "create", "N")
    assert code == 2 and str(missing) in err and "Traceback" not in err
    bad = tmp_path / "bad.env"
    bad.write_text("SOSKU_SERVER_DB sqlite:///x\n", "utf-8")
    code, _, err = sosku_server(tmp_path, "--env-file", str(bad), "team", "create", "N")
    assert code == 2 and "line 1" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.env"]


def test_admin_command_without_settings_does_not_invent_a_database(tmp_path: Path) -> None:
    code, out, err = sosku_server(tmp_path, "team", "create", "North")
    assert code == 2 and "SOSKU_SERVER_DB" in err and "--env-file" in err
    assert list(tmp_path.iterdir()) == []
    code, out, err = sosku_server(tmp_path, "check-config")  # serve's default is allowed
    assert "SOSKU_SERVER_DB" in out and "sosku-server.sqlite3" in out
    assert list(tmp_path.iterdir()) == []


def test_the_guide_lets_the_relay_read_its_env_file() -> None:
    text = GUIDE.read_text("utf-8")
    assert "$(grep" not in text and "xargs" not in text
    assert "--env-file /etc/sosku-relay/relay.env" in text


def test_the_guide_installs_what_the_unit_points_to() -> None:
    """The unit's ``Documentation=file://…`` named a file no step of the guide installed."""
    unit = (ROOT / "installer" / "server" / "sosku-relay.service").read_text("utf-8")
    target = next(
        line.split("file://", 1)[1]
        for line in unit.splitlines()
        if line.startswith("Documentation=")
    )
    assert f"docs/deploy-server.md {target}" in GUIDE.read_text("utf-8")
    assert "(no Qt, no PDF tools)" not in GUIDE.read_text("utf-8")  # server.txt carries both


def test_a_bad_value_in_the_env_file_is_named_as_written_there(tmp_path: Path) -> None:
    """``SOSKU_SERVER_BODY_TIMEOUT=2m`` was reported as "argument --body-timeout: invalid float"."""
    settings = tmp_path / "relay.env"
    settings.write_text(
        f"SOSKU_SERVER_DB=sqlite:///{tmp_path / 'relay.sqlite3'}\nSOSKU_SERVER_BODY_TIMEOUT=2m\n",
        "utf-8",
    )
    for command in ("check-config", "serve"):
        code, out, err = sosku_server(tmp_path, "--env-file", str(settings), command)
        assert code == 2, out + err
        assert "SOSKU_SERVER_BODY_TIMEOUT='2m'" in err and "--body-timeout" not in err, err
    settings.write_text(
        f"SOSKU_SERVER_DB=sqlite:///{tmp_path / 'relay.sqlite3'}\n"
        "SOSKU_SERVER_LOG=verbose\nSOSKU_SERVER_IDLE_TIMEOUT=0\n",
        "utf-8",
    )
    code, out, err = sosku_server(tmp_path, "--env-file", str(settings), "check-config")
    assert code == 2 and "SOSKU_SERVER_LOG='verbose'" in err and "--log-level" not in err, err
    settings.write_text(
        f"SOSKU_SERVER_DB=sqlite:///{tmp_path / 'relay.sqlite3'}\nSOSKU_SERVER_IDLE_TIMEOUT=0\n",
        "utf-8",
    )
    code, out, err = sosku_server(tmp_path, "--env-file", str(settings), "check-config")
    assert code == 1 and "not valid: SOSKU_SERVER_IDLE_TIMEOUT" in out, out + err
    # A flag on the command line wins over the file, and is named as a flag.
    code, out, err = sosku_server(
        tmp_path, "--env-file", str(settings), "check-config", "--idle-timeout", "-1"
    )
    assert code == 1 and "not valid: --idle-timeout" in out, out + err
    code, out, err = sosku_server(
        tmp_path, "--env-file", str(settings), "check-config", "--idle-timeout", "5"
    )
    assert code == 0, out + err
