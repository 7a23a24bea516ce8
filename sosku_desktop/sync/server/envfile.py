"""``sosku-server --env-file``: the service's settings read by the relay itself.

The administrator's commands need the same settings as the service
(``EnvironmentFile=/etc/sosku-relay/relay.env``, mode 0640 root:sosku-relay).
Expanding the file in the administrator's shell (``env $(grep … | xargs)``)
runs as the administrator, who may not read it, and then silently runs
with no settings at all; read here, it is read as the service user
(``sudo -u sosku-relay``), and an unreadable file is an error.
"""

from __future__ import annotations

from pathlib import Path


def read_env_file(path: str) -> dict[str, str]:
    """``KEY=VALUE`` lines as systemd reads them: ``#``/``;`` comments, optional quotes.

    Raises ValueError with the file and line for anything else, and for a
    file that cannot be read (the reason in plain words).
    """
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValueError(f"cannot read the settings file {path}: {reason}") from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.replace("_", "").isalnum() or key[0].isdigit():
            raise ValueError(f"{path} line {number}: expected NAME=value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values
