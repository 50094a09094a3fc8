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
