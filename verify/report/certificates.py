"""The report's certificates: each evidence row made ``proved`` by
:mod:`verify.evidence.certified` carries its certificate in ``details["certificate"]``; the
report writes it to ``<stem>_files/certificates/<kind>-<inputs>.json`` (atomically,
:func:`verify._files.write_atomic`; files of an earlier run that this run did not write are
removed), replaces it in the evidence by the file's path, and lists the files, each with its
SHA-256, in ``doc["certificates"]``. It also writes ``<stem>_files/certificates.json``, the part
of the report that binds certificates to rows (the rows that name a certificate, the errata, the
proof-algebra rows and the list of files), so that ``python -m verify.certify check --report
<stem>_files/certificates.json`` checks every binding after the README's first command, with no
``--json``; ``report.json`` itself works as well. The Findings mark a proved row ``[proved]``;
the Summary counts them (:func:`summary_lines`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from verify._files import remove_stale, write_atomic

__all__ = ["CERTIFYING", "CERT_DIR", "INDEX", "mark", "second_prover_count", "second_prover_text",
           "summary_lines", "write_certificates"]

CERT_DIR = "certificates"
INDEX = "certificates.json"
_PATTERN = re.compile(r"[A-Za-z0-9._-]+\.json")


def mark(ev: dict[str, Any]) -> str:
    """``" [proved]"`` for an evidence row whose strength is ``proved``, else ``""``."""
    return " [proved]" if ev.get("strength") == "proved" else ""


def _index(doc: dict[str, Any]) -> dict[str, Any]:
    """The part of ``doc`` that binds certificates to rows (links relative to the report's
    directory, the index's ``root``)."""
    from verify.certify._binding import INDEX_FORMAT

    keep = ("claim", "params", "observed", "verdict", "strength")
    sections = [{"title": sec.get("title"), "evidence": [
        {**{k: ev.get(k) for k in keep},
         "details": {"certificate": ev.get("details", {}).get("certificate")}}
        for ev in sec.get("evidence", [])
        if ev.get("strength") == "proved" or isinstance(ev.get("details", {}).get("certificate"),
                                                        str)]}
        for sec in doc.get("sections", [])]
    algebra = [{"id": row.get("id"), "statement": row.get("statement"),
                "status": row.get("status"), "second_prover": {
                    "certificate": (row.get("second_prover") or {}).get("certificate")}}
               for row in doc.get("algebra", []) or []
               if isinstance((row.get("second_prover") or {}).get("certificate"), str)]
    errata = [{"claim": e.get("claim"), "evidence": e.get("evidence")}
              for e in doc.get("errata", []) or []
              if str(e.get("evidence", "")).startswith("[proved]")]
    return {"format": INDEX_FORMAT, "root": "..", "sections": sections, "algebra": algebra,
            "errata": errata, "certificates": doc.get("certificates", [])}


def write_certificates(doc: dict[str, Any], files_dir: Path, link_prefix: str) -> list[str]:
    """Write every certificate of ``doc``'s evidence (and the proof algebra's Z3 certificates)
    under ``files_dir/certificates``, set ``doc["certificates"]`` (each file with its SHA-256)
    and write the index ``files_dir/certificates.json``; return the file names written. The
    ``certify`` extra is imported only when there is a certificate to write."""
    directory = Path(files_dir) / CERT_DIR
    listed: list[dict[str, Any]] = []
    written: dict[str, str] = {}

    def add(cert: dict[str, Any], inputs: Any) -> str:
        """Queue ``cert`` once; return the link the report keeps in its place."""
        from verify.certify import dumps, file_name  # a certificate exists: the extra is there
        from verify.certify._binding import sha256

        name = file_name(cert)
        link = f"{link_prefix}/{CERT_DIR}/{name}"
        if name not in written:
            written[name] = dumps(cert)
            listed.append({"file": link, "claim": cert.get("claim"), "kind": cert.get("kind"),
                           "inputs": inputs, "verdict": cert.get("verdict"),
                           "sha256": sha256(written[name].encode("utf-8"))})
        return link

    for sec in doc.get("sections", []):
        for ev in sec.get("evidence", []):
            cert = ev.get("details", {}).get("certificate")
            if isinstance(cert, dict):
                ev["details"]["certificate"] = add(cert, cert.get("inputs"))
    for row in doc.get("algebra", []) or []:
        cert = (row.get("second_prover") or {}).get("certificate")
        if isinstance(cert, dict):
            row["second_prover"]["certificate"] = add(cert, {"id": cert.get("id")})
    if written:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in written.items():
            write_atomic(directory / name, text)
    remove_stale(directory, _PATTERN, written)
    doc["certificates"] = listed
    index = Path(files_dir) / INDEX
    if written:
        write_atomic(index, json.dumps(_index(doc), indent=1, sort_keys=True) + "\n")
    elif index.is_file():
        index.unlink()
    return list(written)


CERTIFYING: tuple[str, ...] = (
    "verify.claims.theorem_4_2",
    "verify.claims.lemma_5_2",
    "verify.claims.footnote_5",
    "verify.claims.event_14",
    "verify.claims.proposition_6_1",
)
"""The claim modules some of whose rows a certificate makes proved when the ``certify`` extra
is installed (they call :mod:`verify.evidence.certified`); the errata and the proof algebra's
second prover are the report's other parts that can hold certificates."""


def _would_certify(doc: dict[str, Any]) -> bool:
    """Whether ``doc`` ran a part that writes certificates when the ``certify`` extra is
    installed: a section of :data:`CERTIFYING`, the proof algebra or the errata."""
    ran = {sec.get("module") for sec in doc.get("sections", []) if sec.get("run", True)}
    return bool(ran & set(CERTIFYING)) or bool(doc.get("algebra")) or bool(doc.get("errata"))


def summary_lines(doc: dict[str, Any]) -> list[str]:
    """The Summary's count of proved findings and where their certificates are. Without a
    certificate it says why: the ``certify`` extra is missing, only when it is and the run
    holds a part that would have written one; otherwise, that the claims run make none."""
    rows = [ev for sec in doc.get("sections", []) for ev in sec.get("evidence", [])]
    proved = [ev for ev in rows if ev.get("strength") == "proved"]
    fails = sum(ev.get("verdict") == "fails" for ev in proved)
    errata = sum(str(e.get("evidence", "")).startswith("[proved]") for e in doc.get("errata", []))
    certs = doc.get("certificates") or []
    if not certs:
        from verify.evidence.certified import available

        why = ("no certificates were written: the `certify` extra, python-flint and z3-solver, "
               "is needed" if _would_certify(doc) and not available() else
               "no certificates: no claim run here makes one")
        return [f"Proved findings: {len(proved)} of {len(rows)} evidence rows ({why})."]
    directory = certs[0]["file"].rsplit("/", 1)[0]
    index = f"{directory.rsplit('/', 1)[0]}/{INDEX}"
    return [f"Proved findings: {len(proved)} of {len(rows)} evidence rows ({fails} failures, "
            f"{len(proved) - fails} holds) and {errata} errata are proved by exact arithmetic "
            f"and certificates ({len(certs)} files); re-check them, and that each backs its "
            f"row, without the checkers: `python -m verify.certify check --report {index}`."]


def second_prover_text(check: dict[str, Any]) -> str:
    """The second engine's verdict on one proof-algebra row, for its Status cell (e.g.
    ``" — proved by SymPy and Z3"``); ``""`` when the row has none."""
    second = check.get("second_prover")
    return f" — {second['text']}" if second else ""


def second_prover_count(doc: dict[str, Any]) -> str:
    """One sentence: how many proof-algebra rows the second engine agrees with, could not
    decide, and disagrees with (listing the disagreements)."""
    rows = [c for c in doc.get("algebra", []) if c.get("second_prover")]
    if not rows:
        return "No second prover ran on the proof algebra."
    counts = {a: [c["id"] for c in rows if c["second_prover"]["agreement"] == a]
              for a in ("agree", "undecided", "disagree")}
    return (f"Second prover (Z3's nonlinear real and integer arithmetic, induction on d for "
            f"2^d; arb for constants; flint's exact rational matrices for Eq. 5): agrees on "
            f"{len(counts['agree'])} of {len(rows)} steps, could not decide "
            f"{len(counts['undecided'])} ({', '.join(counts['undecided']) or 'none'}), "
            f"disagrees on {len(counts['disagree'])} "
            f"({', '.join(counts['disagree']) or 'none'}).")
