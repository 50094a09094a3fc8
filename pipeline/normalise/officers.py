"""The Lead Officer cell into people's names and their organisations.

``Caroline Holmes/ Andy Lawman (KMBC)``, ``Inspector Dave Grant & Chief
Inspector Paul Jones (Merpol)``, ``Mike Berry, Office of the Police and Crime
Commissioner (Merpol)``, ``D/Supt Siobhan Gainer (Merpel)``: names are split at
"/", "&", "and" and commas (but not inside a rank such as "D/Supt"), ranks and
titles come off the front, organisations come from the brackets and from any
registry name written inline.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import regex

from pipeline.normalise.organisations import CellWords, Mention, find_organisations
from pipeline.normalise.registry import Registry
from pipeline.review import Doubt
from pipeline.schema import assign_objects

_BRACKET = regex.compile(r"\(([^()]*)\)")
# "/" inside a rank ("D/Supt", "C/Supt") follows a lone capital; elsewhere it separates names.
_NAME_SEPARATORS = regex.compile(r"\s*(?:,|;|&|\band\b|(?<!\b\p{Lu})/)\s*", regex.IGNORECASE)
_PERSON = regex.compile(r"^\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*)+$")


@dataclass(frozen=True)
class OfficerReading:
    names: tuple[str, ...]
    titles: tuple[str, ...]  # one per name, "" where none was written
    organisations: tuple[Mention, ...]
    doubts: tuple[Doubt, ...]


def officer_titles_pattern(titles: list[str]) -> regex.Pattern:
    """A pattern for one rank or title at the start of a name, longest first."""
    alternatives = "|".join(regex.escape(t) for t in sorted(titles, key=len, reverse=True))
    return regex.compile(rf"^(?:{alternatives})(?=\s)", regex.IGNORECASE)


def read_officer_cell(
    cell: str | None,
    registry: Registry,
    words: CellWords,
    titles: regex.Pattern,
    threshold: float,
) -> OfficerReading:
    """Names, titles and organisations of one Lead Officer cell."""
    if not cell or not cell.strip():
        return OfficerReading((), (), (), ())
    mentions, doubts = [], []
    for content in _BRACKET.findall(cell):
        found, unsure = find_organisations(content, registry, words, threshold, "lead_officer_raw")
        mentions += found
        doubts += unsure
    people = _BRACKET.sub(" ", cell)
    for match in registry.find_names(people):
        mentions.append(Mention(match.org_id, match.spelling, match.method, match.start))
        people = people[: match.start] + " " * len(match.spelling) + people[match.end :]
    names, name_titles = [], []
    for part in _NAME_SEPARATORS.split(people):
        name, title = _strip_titles(part.strip(), titles)
        if not name:
            continue
        if _PERSON.match(name):
            names.append(name)
            name_titles.append(title)
        else:
            doubts.append(
                Doubt(
                    "lead_officer_raw",
                    part.strip(),
                    "officer_not_understood",
                    "not read as a person's name; left out of lead_officers",
                )
            )
    unique = list({mention.org_id: mention for mention in reversed(mentions)}.values())[::-1]
    return OfficerReading(tuple(names), tuple(name_titles), tuple(unique), tuple(doubts))


def _strip_titles(part: str, titles: regex.Pattern) -> tuple[str, str]:
    found = []
    while match := titles.match(part):
        found.append(match.group())
        part = part[match.end() :].strip()
    return part, " ".join(found)


def resolve_officers(
    actions: pd.DataFrame,
    registry: Registry,
    words: CellWords,
    titles: regex.Pattern,
    threshold: float,
) -> tuple[pd.DataFrame, list[OfficerReading]]:
    """Fill ``lead_officers``, ``lead_officer_titles`` and ``lead_officer_org_ids``."""
    distinct = {
        cell: read_officer_cell(cell, registry, words, titles, threshold)
        for cell in set(actions["lead_officer_raw"])
    }  # each distinct cell read once
    readings = [distinct[cell] for cell in actions["lead_officer_raw"]]
    return assign_objects(
        actions,
        lead_officers=[list(reading.names) for reading in readings],
        lead_officer_titles=[
            {
                name: title
                for name, title in zip(reading.names, reading.titles, strict=True)
                if title
            }
            or None
            for reading in readings
        ],
        lead_officer_org_ids=[[m.org_id for m in reading.organisations] for reading in readings],
    ), readings
