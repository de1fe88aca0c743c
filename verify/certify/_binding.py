"""Certificates bound to the report rows they back: ``python -m verify.certify check --report``.

The report (``report.json``, or its projection ``<stem>_files/certificates.json`` that
:mod:`verify.report.certificates` always writes) lists its certificate files with their SHA-256
(``certificates``) and names, in each row, the file that backs it: an evidence row's
``details.certificate``, a proof-algebra row's ``second_prover.certificate``, an erratum's
``[proved] (certificate NAME: ...)``. :func:`bindings` reads those pairs; :func:`check_report`
then requires:

- every proved evidence row and every ``[proved]`` erratum to name a certificate;
- every named certificate to be listed, present, with the listed SHA-256, and to verify;
- each certificate to back its row: the same kind of statement at the row's parameters with
  the row's verdict (:func:`verify.certify._kinds.row_problem`; an algebra step: the row's id,
  statement and status);
- no certificate file in the folder, and none listed, that backs no row.

Links are relative to the report's directory: ``report.json``'s own, or the parent of the
``<stem>_files`` directory for the index (its ``"root": ".."``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["INDEX_FORMAT", "MAX_REPORT_BYTES", "bindings", "check_report", "erratum_files",
           "sha256"]

INDEX_FORMAT = "verify-certificate-index/1"
MAX_REPORT_BYTES = 200_000_000
_NAME = r"[a-z0-9_]+-[A-Za-z0-9._-]*?\.json"
_SINGLE = re.compile(rf"\(certificate ({_NAME}): (holds|fails)\b")
_KKT = re.compile(r"\(certificates (proposition_6_1_kkt)-d<l\+1>-l<l>-n<n>\.json, "
                  r"n = (\d+)\.\.(\d+), l = (\d+)\.\.(\d+)")


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def erratum_files(text: str) -> list[tuple[str, str]]:
    """``(file name, verdict)`` of each certificate a ``[proved]`` erratum names: ``(certificate
    NAME: VERDICT ...)``, or Proposition 6.1's ``(certificates proposition_6_1_kkt-d<l+1>-l<l>-
    n<n>.json, n = a..b, l = c..e`` (each ``holds``)."""
    out = [(m.group(1), m.group(2)) for m in _SINGLE.finditer(text)]
    for m in _KKT.finditer(text):
        n0, n1, l0, l1 = (int(g) for g in m.groups()[1:])
        out += [(f"{m.group(1)}-d{l + 1}-l{l}-n{n}.json", "holds")
                for n in range(n0, n1 + 1) for l in range(l0, l1 + 1)]
    return out


def bindings(doc: dict[str, Any]) -> tuple[list[tuple[str, str, dict[str, Any]]], list[str]]:
    """``(bindings, problems)``: each ``(link or file name, row label, row)`` the report
    declares, and each proved row or erratum that names no certificate."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    problems: list[str] = []
    for sec in doc.get("sections", []) or []:
        for i, ev in enumerate(sec.get("evidence", []) or []):
            link = (ev.get("details") or {}).get("certificate")
            label = f"{sec.get('title', sec.get('key', '?'))}, row {i + 1} ({ev.get('claim')})"
            if isinstance(link, str):
                out.append((link, label, {"params": ev.get("params") or {},
                                          "observed": ev.get("observed"),
                                          "verdict": ev.get("verdict")}))
            elif ev.get("strength") == "proved":
                problems.append(f"{label}: a proved row names no certificate")
    for row in doc.get("algebra", []) or []:
        link = (row.get("second_prover") or {}).get("certificate")
        if isinstance(link, str):
            out.append((link, f"proof algebra {row.get('id')}",
                        {"id": row.get("id"), "statement": row.get("statement"),
                         "status": row.get("status")}))
    for i, e in enumerate(doc.get("errata", []) or []):
        text = str(e.get("evidence", ""))
        if not text.startswith("[proved]"):
            continue
        named = erratum_files(text)
        label = f"erratum {i + 1} ({str(e.get('claim', ''))[:40]})"
        if not named:
            problems.append(f"{label}: a [proved] erratum names no certificate")
        out += [(name, label, {"verdict": verdict}) for name, verdict in named]
    return out, problems


def _load_report(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        data = fh.read(MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        raise ValueError(f"larger than {MAX_REPORT_BYTES} bytes")
    doc = json.loads(data.decode("utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("certificates"), list):
        raise ValueError("not a report: no 'certificates' list")
    return doc


def check_report(path: Path, check_file: Callable[[Path], tuple[bool, str]]) -> int:
    """Check every certificate the report at ``path`` binds (see the module's docstring),
    printing one line per file and per problem; 0 when all hold, else 1."""
    from verify.certify import _kinds, _strict

    try:
        doc = _load_report(path)
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        print(f"{path}: malformed: {exc}", flush=True)
        return 1
    root = (path.parent / doc["root"]) if isinstance(doc.get("root"), str) else path.parent
    listed: dict[str, tuple[Path, str]] = {}
    folders: set[Path] = set()
    for entry in doc["certificates"]:
        link = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(link, str):
            print(f"{path}: malformed: a certificate entry without 'file'", flush=True)
            return 1
        file = Path(os.path.normpath(root / link))
        listed[file.name] = (file, str(entry.get("sha256", "")))
        folders.add(file.parent)
    pairs, problems = bindings(doc)
    status = 0
    for why in problems:
        print(f"{path}: NOT VERIFIED: {why}", flush=True)
        status = 1
    verified: dict[str, dict[str, Any] | None] = {}
    for name, (file, digest) in listed.items():
        try:
            data = file.read_bytes()
        except OSError as exc:
            print(f"{file}: NOT VERIFIED: missing ({exc.strerror or exc})", flush=True)
            verified[name] = None
            status = 1
            continue
        if sha256(data) != digest:
            print(f"{file}: NOT VERIFIED: SHA-256 {sha256(data)[:16]}... is not the report's "
                  f"{digest[:16]}...", flush=True)
            verified[name] = None
            status = 1
            continue
        ok, line = check_file(file)
        print(line, flush=True)
        verified[name] = _strict.loads(data.decode("utf-8")) if ok else None
        status = status if ok else 1
    used: set[str] = set()
    for link, label, row in pairs:
        name = Path(link).name
        used.add(name)
        if name not in listed:
            print(f"{path}: NOT VERIFIED: {label} names {name}, which the report does not list",
                  flush=True)
            status = 1
            continue
        cert = verified.get(name)
        if cert is None:
            continue
        why = _kinds.row_problem(cert, row)
        if why:
            print(f"{listed[name][0]}: NOT VERIFIED: does not back {label}: {why}", flush=True)
            status = 1
    for name in sorted(set(listed) - used):
        print(f"{listed[name][0]}: NOT VERIFIED: listed but backs no row", flush=True)
        status = 1
    for folder in sorted(folders):
        for file in sorted(folder.glob("*.json")):
            if file.name not in listed:
                print(f"{file}: NOT VERIFIED: in the certificate folder but not in the report",
                      flush=True)
                status = 1
    rows = len({label for _, label, _ in pairs})
    print(f"{path}: {'all' if status == 0 else 'NOT all'} of {len(listed)} certificates "
          f"verified and bound to {rows} rows", flush=True)
    return status
