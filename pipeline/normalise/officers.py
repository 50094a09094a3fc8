"""The Lead Officer cell into people's names and their organisations.

``Caroline Holmes/ Andy Lawman (KMBC)``, ``Inspector Dave Grant & Chief
Inspector Paul Jones (Merpol)``, ``Mike Berry, Office of the Police and Crime
Commissioner (Merpol)``, ``D/Supt Siobhan Gainer (Merpel)``: names are split at
"/", "&", "and" and commas (but not inside a rank such as "D/Supt"), ranks and
titles come off the front, organisations come from the brackets and from any
registry name written inline. A post ("Chief Executive", "Strategic Lead") looks
like a name, capitalised words, but names no person: a part with a word of
``officer_roles``, or a rank alone, is listed for review, not published.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import regex

from pipeline.normalise.organisations import CellWords, Mention, find_organisations, strip_words
from pipeline.normalise.registry import Registry, fold_name
from pipeline.review import Doubt
from pipeline.schema import assign_objects

_BRACKET = regex.compile(r"\(([^()]*)\)")
# "/" inside a rank ("D/Supt", "C/Supt") follows a lone capital; elsewhere it separates names.
# A dash with a space beside it separates too ("Jane Smith - KMBC"); one inside a name
# ("Smith-Jones") does not.
_NAME_SEPARATORS = regex.compile(
    r"\s*(?:,|;|&|\band\b|(?<!\b\p{Lu})/)\s*|\s+\p{Pd}+\s*|\s*\p{Pd}+\s+", regex.IGNORECASE
)


@dataclass(frozen=True)
class OfficerReading:
    names: tuple[str, ...]
    titles: tuple[str, ...]  # one per name, "" where none was written
    organisations: tuple[Mention, ...]
    doubts: tuple[Doubt, ...]


@dataclass(frozen=True)
class OfficerWords:
    """vocabulary.yaml's officer lists, compiled: ranks and titles before a name, and
    the words of a post that is no person's name."""

    titles: regex.Pattern  # one rank or title at the start of a name, longest first
    honours: regex.Pattern  # honours and letters at the end of a name ("MBE", "QPM")
    roles: regex.Pattern  # any word of a post, as a whole word
    person: regex.Pattern  # two or more capitalised words, "van" and "de" between them

    @classmethod
    def from_vocabulary(cls, vocabulary: dict[str, list[str]]) -> OfficerWords:
        titles = sorted(vocabulary["officer_titles"], key=len, reverse=True)
        roles = "|".join(map(regex.escape, vocabulary["officer_roles"]))
        honours = "|".join(map(regex.escape, vocabulary["officer_honours"]))
        particles = "|".join(map(regex.escape, vocabulary["name_particles"]))
        word = r"\p{Lu}[\p{L}'’.\-]*"
        return cls(
            # "Prof." and "Dr." as well as "Prof" and "Dr"
            regex.compile(rf"^(?:{'|'.join(map(regex.escape, titles))})\.?(?=\s|$)", regex.I),
            regex.compile(rf"(?:^|[\s,]+)(?:(?:{honours})\b\.?[\s,]*)+$"),
            regex.compile(rf"\b(?:{roles})\b", regex.I),
            regex.compile(rf"^(?:(?:{particles})\s+)*{word}(?:\s+(?:(?:{particles})\s+)*{word})+$"),
        )


def read_officer_cell(
    cell: str | None,
    registry: Registry,
    words: CellWords,
    officer_words: OfficerWords,
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
        if not strip_words(fold_name(part), words.qualifiers):
            continue  # "Jane Smith - interim": a qualifier, as in brackets
        name, title = _strip_titles(part.strip(), officer_words.titles)
        honours = officer_words.honours.search(name)
        if honours and names and not honours.start():  # "Jane Smith, MBE": the name's before
            name_titles[-1] = " ".join(filter(None, [name_titles[-1], honours.group().strip(" ,")]))
            continue
        if honours and honours.start():  # "Jane Smith MBE": honours are no part of the name
            title = " ".join(filter(None, [title, honours.group().strip(" ,")]))
            name = name[: honours.start()]
        post = officer_words.roles.search(name)
        if officer_words.person.match(name) and not post:
            names.append(name)
            name_titles.append(title)
        elif name or title:
            if not name:
                why = "a rank or title with no name after it"
            elif post:
                why = "a post or a body, not a person's name"
            else:
                why = "not read as a person's name"
            doubts.append(
                Doubt(
                    "lead_officer_raw",
                    part.strip(),
                    "officer_not_understood",
                    f"{why}; left out of lead_officers",
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
    officer_words: OfficerWords,
    threshold: float,
) -> tuple[pd.DataFrame, list[OfficerReading]]:
    """Fill ``lead_officers``, ``lead_officer_titles`` and ``lead_officer_org_ids``."""
    distinct = {
        cell: read_officer_cell(cell, registry, words, officer_words, threshold)
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
