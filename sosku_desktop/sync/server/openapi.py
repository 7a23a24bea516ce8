"""The OpenAPI 3.1 document served at ``/v1/openapi.json``.

Written by hand (Starlette has no schema generator) and kept honest by a
test that compares its paths and methods with the app's routes.
"""

from __future__ import annotations

from typing import Any

from sosku_desktop.sync.protocol import (
    API_PREFIX,
    DEFAULT_PULL_LIMIT,
    H_CONTENT_SHA256,
    H_DEVICE,
    H_SIGNATURE,
    H_TEAM,
    H_TIMESTAMP,
    MAX_KEY_ITEMS,
    MAX_PULL_LIMIT,
    MAX_PUSH_BUNDLES,
    MAX_SNAPSHOT_PARTS,
)

_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"}
_B64 = {"type": "string", "contentEncoding": "base64"}
_INT = {"type": "integer", "minimum": 0}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        ["error", "message"],
        error={"type": "string", "description": "machine-readable code, see docs/sync.md"},
        message={"type": "string"},
        server_time={"type": "integer", "description": "with stale_timestamp"},
        expected={"type": "integer", "description": "with device_seq_gap"},
        epoch={"type": "integer", "description": "with epoch_stale / rotation_needed"},
        index={"type": "integer", "description": "which item of a batch was refused"},
    ),
    "WireBundle": _obj(
        [
            "v",
            "bundle_id",
            "team_id",
            "epoch",
            "device_id",
            "device_seq",
            "nonce",
            "ciphertext",
            "signature",
        ],
        v={"type": "integer", "enum": [1, 2]},
        bundle_id={"type": "string", "format": "uuid"},
        team_id=_ID,
        epoch={"type": "integer", "minimum": 1},
        device_id=_ID,
        device_seq={"type": "integer", "minimum": 1},
        hlc={
            "type": "string",
            "pattern": r"^[0-9]{13,16}-[0-9]{5}-[A-Za-z0-9_.:-]{1,64}$",
            "description": "envelope 1 only; from 2 on the clock is inside the encryption",
        },
        nonce=_B64 | {"description": "24 bytes"},
        ciphertext=_B64,
        signature=_B64 | {"description": "Ed25519, 64 bytes"},
    ),
    "StoredBundle": {
        "allOf": [_ref("WireBundle"), _obj(["server_seq"], server_seq={"type": "integer"})]
    },
    "Device": _obj(
        ["device_id", "name", "status", "fingerprint", "sign_pub", "box_pub"],
        device_id=_ID,
        name={"type": "string"},
        status={"type": "string", "enum": ["pending", "active", "revoked"]},
        fingerprint={"type": "string", "example": "1A2B 3C4D 5E6F 7A8B 9C0D 1E2F 3A4B 5C6D"},
        sign_pub=_B64,
        box_pub=_B64,
        created_at={"type": "integer", "description": "unix ms"},
        approved_at={"type": ["integer", "null"]},
        revoked_at={"type": ["integer", "null"]},
        epochs={"type": "array", "items": {"type": "integer"}},
    ),
    "Authority": {
        "type": ["object", "null"],
        "description": "the team authority's key and signed roster statements (null: none yet)",
        "required": ["key", "statements"],
        "properties": {
            "key": _B64 | {"description": "Ed25519 public key, 32 bytes"},
            "statements": {
                "type": "array",
                "items": _obj(["statement", "signature"], statement=_B64, signature=_B64),
            },
        },
    },
    "SnapshotPart": _obj(
        [
            "v",
            "team_id",
            "epoch",
            "device_id",
            "snapshot_id",
            "server_seq",
            "part",
            "parts",
            "nonce",
            "ciphertext",
            "signature",
        ],
        v={"type": "integer", "enum": [1]},
        team_id=_ID,
        epoch={"type": "integer", "minimum": 1},
        device_id=_ID,
        snapshot_id={"type": "string", "format": "uuid"},
        server_seq={"type": "integer", "minimum": 1},
        part=_INT,
        parts={"type": "integer", "minimum": 1, "maximum": MAX_SNAPSHOT_PARTS},
        nonce=_B64 | {"description": "24 bytes"},
        ciphertext=_B64 | {"description": "at most 4 MiB"},
        signature=_B64 | {"description": "Ed25519, 64 bytes"},
    ),
    "SealedKey": _obj(
        ["epoch", "device_id", "sealed", "signature"],
        epoch={"type": "integer", "minimum": 1},
        device_id=_ID,
        sealed=_B64,
        signature=_B64,
        sealed_by=_ID,
    ),
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"description": "refused"} | _json(_ref("Error")) for s in statuses}


_AUTH_ERRORS = (400, 401, 403, 413, 422, 426)


def _op(
    summary: str,
    ok: dict[str, Any],
    *errors: int,
    body: dict[str, Any] | None = None,
    params: list[dict[str, Any]] | None = None,
    signed: bool = True,
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {"200": {"description": "ok"} | _json(ok)} | _errors(*errors),
    }
    if body is not None:
        op["requestBody"] = {"required": True} | _json(body)
    if params:
        op["parameters"] = params
    op["security"] = [{"deviceSignature": []}] if signed else []
    return op


def _query(name: str, default: int, maximum: int) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {
            "type": "integer",
            "minimum": 0 if name in ("after", "ack", "part") else 1,
            "maximum": maximum,
            "default": default,
        },
    }


def _service_paths(p: str) -> dict[str, Any]:
    """Health and this document (unsigned)."""
    return {
        f"{p}/health": {
            "get": _op(
                "Liveness and database check",
                _obj(["status"], status={"type": "string"}, api={"type": "integer"}),
                503,
                signed=False,
            )
        },
        f"{p}/openapi.json": {"get": _op("This document", {"type": "object"}, signed=False)},
    }


def _roster_paths(p: str) -> dict[str, Any]:
    """Enrolment and the team state."""
    return {
        f"{p}/join": {
            "post": _op(
                "Enrol this device with a join code (signed by the new device's key)",
                _ref("Device"),
                *_AUTH_ERRORS,
                409,
                429,
                body=_obj(
                    ["join_code", "name", "sign_pub", "box_pub"],
                    join_code={"type": "string"},
                    name={"type": "string", "maxLength": 100},
                    sign_pub=_B64,
                    box_pub=_B64,
                ),
            )
        },
        f"{p}/status": {
            "get": _op(
                "Team epoch, rotation flag, head seq and my device (a pending device: "
                "only its own entry)",
                _obj(
                    ["device", "server_time"],
                    team_id=_ID,
                    team_name={"type": "string"},
                    epoch=_INT,
                    rotation_needed={"type": "boolean"},
                    head_seq=_INT,
                    device=_ref("Device"),
                    server_time={"type": "integer"},
                    authority=_ref("Authority"),
                ),
                *_AUTH_ERRORS,
            )
        },
        f"{p}/devices": {
            "get": _op(
                "The roster with public keys, status and sealed-key epochs",
                _obj(
                    ["devices", "epoch", "rotation_needed"],
                    devices={"type": "array", "items": _ref("Device")},
                    epoch=_INT,
                    rotation_needed={"type": "boolean"},
                    authority=_ref("Authority"),
                ),
                *_AUTH_ERRORS,
            )
        },
    }


def _key_paths(p: str) -> dict[str, Any]:
    """Sealed epoch keys."""
    return {
        f"{p}/keys": {
            "get": _op(
                "Epoch keys sealed to this device (pending allowed)",
                _obj(
                    ["keys", "epoch"],
                    keys={"type": "array", "items": _ref("SealedKey")},
                    epoch=_INT,
                ),
                *_AUTH_ERRORS,
            ),
            "post": _op(
                "Store sealed keys; with new_epoch = current + 1 create that epoch",
                _obj(
                    ["epoch", "stored", "existing"],
                    epoch=_INT,
                    stored={"type": "array"},
                    existing={"type": "array"},
                ),
                *_AUTH_ERRORS,
                409,
                body=_obj(
                    ["keys"],
                    new_epoch={"type": ["integer", "null"], "minimum": 1},
                    keys={
                        "type": "array",
                        "maxItems": MAX_KEY_ITEMS,
                        "items": _ref("SealedKey"),
                    },
                ),
            ),
        },
    }


def _bundle_paths(p: str) -> dict[str, Any]:
    """Pushing and pulling bundles."""
    return {
        f"{p}/bundles": {
            "get": _op(
                "A page of bundles after a cursor (≤ limit and ≈ 1 MiB)",
                _obj(
                    ["bundles", "next", "more", "head"],
                    bundles={"type": "array", "items": _ref("StoredBundle")},
                    next=_INT,
                    more={"type": "boolean"},
                    head=_INT,
                ),
                *_AUTH_ERRORS,
                410,
                params=[
                    _query("after", 0, 2**53),
                    _query("limit", DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT),
                    _query("ack", 0, 1)
                    | {"description": "1: this device holds every bundle up to `after`"},
                ],
            ),
            "post": _op(
                "Append a batch of bundles (atomic, idempotent on bundle_id)",
                _obj(
                    ["results", "head"],
                    results={
                        "type": "array",
                        "items": _obj(
                            ["bundle_id", "server_seq"],
                            bundle_id={"type": "string"},
                            server_seq={"type": "integer"},
                        ),
                    },
                    head=_INT,
                ),
                *_AUTH_ERRORS,
                409,
                body=_obj(
                    ["bundles"],
                    bundles={
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_PUSH_BUNDLES,
                        "items": _ref("WireBundle"),
                    },
                ),
            ),
        },
    }


def _snapshot_paths(p: str) -> dict[str, Any]:
    """Encrypted snapshots (compaction and new laptops)."""
    described = _obj(
        ["snapshot_id", "server_seq", "parts", "epoch", "device_id"],
        snapshot_id={"type": "string", "format": "uuid"},
        server_seq=_INT,
        parts={"type": "integer", "minimum": 1, "maximum": MAX_SNAPSHOT_PARTS},
        epoch=_INT,
        device_id=_ID,
        created_at={"type": "integer"},
    )
    return {
        f"{p}/snapshots": {
            "get": _op(
                "The newest complete snapshot (or null) and how far the log is pruned",
                _obj(
                    ["snapshot", "pruned_upto", "head"],
                    snapshot={"oneOf": [described, {"type": "null"}]},
                    pruned_upto=_INT,
                    head=_INT,
                ),
                *_AUTH_ERRORS,
            ),
            "post": _op(
                "Store one sealed snapshot part (idempotent); the last one completes it",
                _obj(
                    ["snapshot_id", "complete"],
                    snapshot_id={"type": "string"},
                    complete={"type": "boolean"},
                ),
                *_AUTH_ERRORS,
                409,
                body=_obj(["part"], part=_ref("SnapshotPart")),
            ),
        },
        f"{p}/snapshots/part": {
            "get": _op(
                "One part of a snapshot",
                _obj(["part"], part=_ref("SnapshotPart")),
                *_AUTH_ERRORS,
                404,
                params=[
                    {
                        "name": "snapshot_id",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    },
                    _query("part", 0, MAX_SNAPSHOT_PARTS - 1),
                ],
            )
        },
    }


def document() -> dict[str, Any]:
    """The whole OpenAPI document (a fresh dict each call)."""
    p = API_PREFIX
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sosku sync relay",
            "version": "1",
            "description": (
                "Relays end-to-end encrypted change bundles between a team's devices. "
                f"Signed calls carry {H_TEAM}, {H_DEVICE}, {H_TIMESTAMP} (unix seconds, "
                f"±300 s) and {H_SIGNATURE}: base64 Ed25519 over "
                "SOSKU-REQUEST-V1\\nMETHOD\\npath\\nquery\\nteam\\ndevice\\ntimestamp\\n"
                f"hex(sha256(body)); the same hex digest travels in {H_CONTENT_SHA256} "
                "(required with a body) so the relay authenticates before reading it. "
                "Operations endpoints outside the API: GET /healthz, GET /metrics. "
                "See docs/sync.md."
            ),
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "deviceSignature": {"type": "apiKey", "in": "header", "name": H_SIGNATURE}
            },
        },
        "paths": {
            **_service_paths(p),
            **_roster_paths(p),
            **_key_paths(p),
            **_bundle_paths(p),
            **_snapshot_paths(p),
        },
    }
