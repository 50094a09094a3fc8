"""Write, audit, publish: a release is built beside the published one and swapped in whole.

Layout, for a release folder ``processed/``::

    processed/                      the published release (what consumers read)
    processed.releases/staging/ID/  a run's release while it is written and validated
    processed.releases/archive/ID/  every release that was replaced, by its release id
    processed.releases/failed/ID/   a run stopped by a gate: what it had, and its reports

Each release's datapackage.json names the release it replaced (``replaces``),
so ``roll_back`` puts back exactly that one, whatever was published or rolled
back in between, and running it again goes one further back.

The swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux: at every instant
``processed/`` is either the whole old release or the whole new one, so a run
that fails or is killed at any moment leaves the last good release as it was.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def releases_dir(out: Path) -> Path:
    return out.parent / f"{out.name}.releases"


def new_release_id(now: dt.datetime | None = None) -> str:
    """Sortable by time and unique: UTC time to the microsecond, and a random part."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(3)}"


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


@dataclass(frozen=True)
class Release:
    """A published release, live or archived, as its datapackage.json describes it."""

    id: str
    folder: Path
    live: bool
    created: str
    period: str | None
    sources: tuple[str, ...]  # "name (sha256 first 12)"
    replaces: str | None


def archived_releases(out: Path) -> list[Path]:
    """Archived release folders, oldest first by name."""
    archive = releases_dir(out) / "archive"
    return sorted(path for path in archive.iterdir() if path.is_dir()) if archive.exists() else []


def release_history(out: Path) -> list[Release]:
    """The live release and every archived one, newest first."""
    folders = ([out] if out.exists() else []) + archived_releases(out)
    history = [_describe(folder, live=folder == out) for folder in folders]
    return sorted(history, key=lambda r: (r.created, r.id), reverse=True)


def lineage(out: Path) -> list[Release]:
    """The live release and the ones it replaced, each following ``replaces``, newest
    first: the releases the published history rests on (a rolled-back one is not)."""
    by_id = {release.id: release for release in release_history(out)}
    current = _describe(out, live=True) if (out / "datapackage.json").exists() else None
    found: list[Release] = []
    while current is not None and current.id not in {r.id for r in found}:
        found.append(current)
        current = by_id.get(current.replaces) if current.replaces else None
    return found


def last_of_another_period(out: Path, period: str | None) -> Path | None:
    """The newest release, following the live one's history back (each release's
    ``replaces``), whose period is not ``period``: what "since last quarter" compares
    with, however often this period was re-run. None when there is none."""
    for release in lineage(out):
        if release.period != period or period is None:
            return release.folder
    return None


def roll_back(out: Path, to: str | None = None) -> tuple[str, Path | None]:
    """Put back the release the live one replaced (or release ``to``), archiving the live one.

    Returns the restored release's id and where the replaced one went (None when
    nothing was live). Raises FileNotFoundError saying why when there is
    nothing to put back.
    """
    archived = {release.id: release for release in release_history(out) if not release.live}
    live = _describe(out, live=True) if out.exists() else None
    if to is None:
        if live is None:
            raise FileNotFoundError(f"no live release at {out}: name one with --to")
        if not live.replaces:
            raise FileNotFoundError(f"release {live.id} replaced none: nothing earlier to put back")
        to = live.replaces
    if to not in archived:
        known = ", ".join(sorted(archived)) or "none"
        raise FileNotFoundError(f"release {to} is not in {releases_dir(out) / 'archive'} ({known})")
    target = archived[to].folder
    if live is None:
        target.rename(out)
        return to, None
    exchange(target, out)  # the live release now sits at the target's archive path
    replaced = _unused(target.with_name(live.id))
    target.rename(replaced)
    return to, replaced


def _describe(folder: Path, live: bool) -> Release:
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        package = {}
    sources = tuple(
        f"{s.get('path', '?')} ({str(s.get('sha256', ''))[:12]})"
        for s in package.get("sources", [])
    )
    return Release(
        id=package.get("id") or _release_id(folder),
        folder=folder,
        live=live,
        created=package.get("created") or "",
        period=package.get("period"),
        sources=sources,
        replaces=package.get("replaces"),
    )


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
