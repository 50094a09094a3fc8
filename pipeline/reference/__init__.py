"""Reference data: reviewed files a data person edits, loaded here."""

from __future__ import annotations

from pathlib import Path

import yaml

REFERENCE_DIR = Path(__file__).parent


def load_column_labels(path: Path = REFERENCE_DIR / "columns.yaml") -> dict[str, list[str]]:
    """Header label spellings by field, as written in columns.yaml."""
    with open(path, encoding="utf-8") as handle:
        labels = yaml.safe_load(handle)
    return {field: [str(label) for label in spellings] for field, spellings in labels.items()}


def load_registry_records(path: Path = REFERENCE_DIR / "organisations.yaml") -> list[dict]:
    """The organisation registry's entries as written."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []


def load_vocabulary(path: Path = REFERENCE_DIR / "vocabulary.yaml") -> dict[str, list[str]]:
    """Word lists of the organisation and officer cells, by list name."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_timescale_words(
    path: Path = REFERENCE_DIR / "timescale_words.yaml",
) -> dict[str, list[str]]:
    """Word lists that decide how a timescale's dated parts are read."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_decisions(path: Path = REFERENCE_DIR / "decisions.yaml") -> list[dict]:
    """Decisions made on the review list, as written (see decisions.yaml)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []
