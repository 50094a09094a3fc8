"""Write, audit, publish: a release is built beside the published one and swapped in whole.

Layout, for a release folder ``processed/``::

    processed/                      the published release (what consumers read)
    processed.releases/staging/ID/  a run's release while it is written and validated
    processed.releases/archive/ID/  every release that was replaced, by its release id
    processed.releases/failed/ID/   a run stopped by a gate: what it had, and its reports

The swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux: at every instant
``processed/`` is either the whole old release or the whole new one, so a run
that fails or is killed at any moment leaves the last good release as it was.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def releases_dir(out: Path) -> Path:
    return out.parent / f"{out.name}.releases"


def new_release_id(now: dt.datetime | None = None) -> str:
    """Sortable and unique: UTC time to the microsecond, and the process id."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S.%fZ}-{os.getpid()}"


def new_staging(out: Path, release_id: str) -> Path:
    staging = releases_dir(out) / "staging" / release_id
    staging.mkdir(parents=True)
    return staging


def publish_staged(staging: Path, out: Path) -> Path | None:
    """Make ``staging`` the release at ``out``; return where the replaced release was archived."""
    if not out.exists():
        staging.rename(out)
        return None
    archive = releases_dir(out) / "archive" / _release_id(out)
    archive.parent.mkdir(parents=True, exist_ok=True)
    exchange(staging, out)
    staging.rename(_unused(archive))
    return archive


def keep_failed(staging: Path, out: Path, release_id: str) -> Path:
    """Move a stopped run's staging folder where a person can inspect it."""
    failed = releases_dir(out) / "failed" / release_id
    failed.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(failed)
    return failed


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def archived_releases(out: Path) -> list[Path]:
    """Archived releases, oldest first."""
    archive = releases_dir(out) / "archive"
    return sorted(path for path in archive.iterdir() if path.is_dir()) if archive.exists() else []


def roll_back(out: Path) -> tuple[str, Path]:
    """Put the newest archived release back at ``out``, archiving the current one.

    Returns the restored release's id and where the replaced one went. Calling
    it again undoes it, since the replaced release is then the newest archived.
    """
    candidates = archived_releases(out)
    if not candidates:
        raise FileNotFoundError(f"no archived release under {releases_dir(out) / 'archive'}")
    newest = candidates[-1]
    restored_id = _release_id(newest)
    if not out.exists():
        newest.rename(out)
        return restored_id, out
    exchange(newest, out)  # the current release now sits at the archive path
    replaced = _unused(newest.with_name(f"{_release_id(newest)}-replaced"))
    newest.rename(replaced)
    return restored_id, replaced


def exchange(a: Path, b: Path) -> None:
    """Swap two folders in one atomic step (Linux renameat2), else as close as the system allows."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:
        renameat2 = None
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        error = ctypes.get_errno()
        if error not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: no exchange on this filesystem
            raise OSError(error, os.strerror(error), str(b))
    # Fallback: two renames, with a moment between them where b is absent.
    parked = b.with_name(f".{b.name}.swap")
    b.rename(parked)
    a.rename(b)
    parked.rename(a)


def _release_id(release: Path) -> str:
    try:
        return json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["id"]
    except (OSError, ValueError, KeyError):
        stamp = dt.datetime.fromtimestamp(release.stat().st_mtime, dt.UTC)
        return f"{stamp:%Y%m%dT%H%M%SZ}-unknown"


def _unused(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate
