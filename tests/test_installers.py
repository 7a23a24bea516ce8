"""What can be checked of the installers without Windows: the files say what IT needs.

The Inno Setup script is parsed for the keys silent mass deployment needs,
the PyInstaller spec for its two executables, and the build script and
workflow for taking the version from its one source.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import sosku_desktop

ROOT = Path(__file__).resolve().parent.parent
ISS = ROOT / "installer" / "windows" / "sosku.iss"
GUID = r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}"


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def setup_keys() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["Setup"])


def test_inno_setup_script_has_what_silent_deployment_needs() -> None:
    keys = setup_keys()
    assert re.fullmatch(GUID, keys["AppId"]), keys["AppId"]
    for key in ("AppVersion", "VersionInfoVersion", "OutputBaseFilename", "AppVerName"):
        assert "{#AppVersion}" in keys[key], key
    assert "#error" in ISS.read_text("utf-8")  # no version, no build
    icon = ISS.parent / keys["SetupIconFile"].replace("\\", "/")
    assert icon.resolve() == (ROOT / "resources/icons/sosku.ico").resolve() and icon.exists()
    assert keys["UninstallDisplayIcon"] == r"{app}\sosku.exe"
    assert keys["PrivilegesRequired"] == "lowest"
    assert "commandline" in keys["PrivilegesRequiredOverridesAllowed"]  # /ALLUSERS, /CURRENTUSER
    assert keys["DefaultDirName"].startswith("{autopf}")
    assert keys["CloseApplications"] == "yes"
    sections = iss_sections()
    assert {"fi", "sv", "en"} <= {
        re.search(r'Name: "(\w+)"', x).group(1)  # type: ignore[union-attr]
        for x in sections["Languages"]
    }
    assert any(r"dist\sosku\*" in line for line in sections["Files"])
    # The uninstaller removes only what it installed: nothing of the user's data.
    text = ISS.read_text("utf-8").lower()
    assert "[uninstalldelete]" not in text and "{localappdata}" not in text


def test_spec_builds_the_app_and_its_console_companion() -> None:
    spec = (ROOT / "installer" / "sosku.spec").read_text("utf-8")
    exes = re.findall(r'EXE\([^)]*name="([\w-]+)", console=(True|False)', spec, re.S)
    assert sorted(exes) == [("sosku", "False"), ("sosku-cli", "True")]
    assert "COLLECT(app_exe, cli_exe" in spec
    assert "from sosku_desktop import __version__" in spec and "version=version_file" in spec
    for server_only in ("starlette", "uvicorn", "psycopg", "prometheus_client"):
        assert f'"{server_only}"' in spec  # excluded from the laptop app


def test_build_script_and_workflow_use_the_single_version_and_the_lock() -> None:
    build = (ROOT / "installer" / "windows" / "build.ps1").read_text("utf-8")
    assert "sosku_desktop.__version__" in build and '"/DAppVersion=$version"' in build
    assert r"--require-hashes -r requirements\build.txt" in build
    for switch in ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER"):
        assert switch in build
    assert "sosku-cli.exe" in build and "--smoke-test" in build
    workflow = (ROOT / ".github" / "workflows" / "windows.yml").read_text("utf-8")
    assert "runs-on: windows-latest" in workflow and "installer/windows/build.ps1" in workflow
    linux = (ROOT / "installer" / "build-linux.sh").read_text("utf-8")
    assert "--require-hashes -r requirements/build.txt" in linux
    assert sosku_desktop.__version__ not in build + linux + ISS.read_text("utf-8")


def test_windows_guide_documents_the_switches_and_the_data() -> None:
    guide = (ROOT / "docs" / "deploy-windows.md").read_text("utf-8")
    for needed in (
        "/VERYSILENT",
        "/SUPPRESSMSGBOXES",
        "/NORESTART",
        "/ALLUSERS",
        "/CURRENTUSER",
        "Credential Manager",
        "sosku-cli",
        "%LOCALAPPDATA%",
        "uninstall",
    ):
        assert needed in guide, needed


def test_service_unit_parses() -> None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(ROOT / "installer" / "server" / "sosku-relay.service")
    assert parser["Service"]["ExecStart"].endswith("sosku-server serve")


def test_silent_install_makes_no_desktop_icon_unless_asked() -> None:
    """The guide says a silent install creates no desktop icon; Inno selects a task by default.

    QA (session 21): without ``Flags: unchecked`` every silent install, and
    every mass deployment from SCCM/Intune, put an icon on the desktop.
    """
    tasks = [line for line in iss_sections()["Tasks"] if 'Name: "desktopicon"' in line]
    assert len(tasks) == 1 and re.search(r"Flags:[^;]*\bunchecked\b", tasks[0]), tasks


def test_build_script_fails_on_a_failed_install_or_uninstall() -> None:
    """``Start-Process -Wait`` ignores the exit code: a failed silent (un)install passed.

    QA (session 21) also found ``$env:RUNNER_TEMP`` used bare, so the script
    the guide says runs "from anywhere" stopped on a developer's machine.
    """
    build = (ROOT / "installer" / "windows" / "build.ps1").read_text("utf-8")
    starts = [
        line
        for line in build.splitlines()
        if line.lstrip().startswith("$") and "Start-Process" in line
    ]
    assert len(starts) == 2, build
    for line in starts:
        assert "-PassThru" in line and "-Wait" in line, line
    assert build.count(".ExitCode -ne 0") >= 2
    assert "Join-Path $env:RUNNER_TEMP" not in build
    assert "GetTempPath()" in build
