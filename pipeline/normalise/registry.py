"""The organisation registry, and finding its names in free text.

Names are compared as word sequences with case, punctuation, "&"/"and",
"St"/"Saint" and a possessive "'s" folded away, so "KMBC-Children's",
"KMBC - Childrens" and "kmbc childrens" read alike. Where aliases overlap the
longest wins ("Community Safety Partnership" over "Community Safety"). Short
acronyms (three letters or fewer) match only in capitals, so "RED" is the
directorate and "red" is a colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from rapidfuzz import fuzz, process

_TOKEN = regex.compile(r"\p{L}[\p{L}\p{N}]*(?:['’]s\b)?|\p{N}+|&")
_ACRONYM_MAX = 3


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    short_name: str
    type: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class NameMatch:
    org_id: str
    start: int
    end: int
    spelling: str  # the text as the cell wrote it
    method: str  # "exact" (an alias to the letter) or "normalised"


@dataclass(frozen=True)
class Candidate:
    org_id: str
    alias: str
    score: float


def _fold(word: str) -> str:
    word = word.casefold().replace("’", "'")
    if word == "&":
        return "and"
    if word == "st":
        return "saint"
    return word.removesuffix("'s") + ("s" if word.endswith("'s") else "")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded words of text with their character spans."""
    return [(_fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def fold_name(text: str) -> str:
    """A name reduced to the form aliases are compared in."""
    return " ".join(word for word, _, _ in tokens(text))


class Registry:
    """Canonical organisations and every alias that names them."""

    def __init__(self, records: list[dict], types: list[str]) -> None:
        self.organisations: dict[str, Organisation] = {}
        for record in records:
            organisation = Organisation(
                id=record["id"],
                name=record["name"],
                short_name=record.get("short_name") or record["name"],
                type=record["type"],
                parent=record.get("parent"),
                aliases=tuple(str(alias) for alias in record.get("aliases") or ()),
            )
            if organisation.id in self.organisations:
                raise ValueError(f"registry: id {organisation.id!r} appears twice")
            if organisation.type not in types:
                raise ValueError(
                    f"registry: {organisation.id} has unknown type {organisation.type!r}"
                )
            self.organisations[organisation.id] = organisation
        self._index: dict[tuple[str, ...], tuple[str, str]] = {}
        for organisation in self.organisations.values():
            if organisation.parent and organisation.parent not in self.organisations:
                raise ValueError(
                    f"registry: {organisation.id} has unknown parent {organisation.parent!r}"
                )
            for alias in (organisation.name, organisation.short_name, *organisation.aliases):
                key = tuple(word for word, _, _ in tokens(alias))
                owner = self._index.setdefault(key, (organisation.id, alias))[0]
                if owner != organisation.id:
                    raise ValueError(
                        f"registry: alias {alias!r} names both {owner} and {organisation.id}"
                    )
        self._longest = max((len(key) for key in self._index), default=0)
        self._choices = {" ".join(key): value for key, value in self._index.items()}

    def find_names(self, text: str) -> list[NameMatch]:
        """Every registry name in text, left to right, the longest first where they
        overlap: "Merseyside Police and Crime Commissioner" holds the Commissioner's
        "Police and Crime Commissioner", not "Merseyside Police"."""
        words = tokens(text)
        candidates = []
        for position in range(len(words)):
            for length in range(min(self._longest, len(words) - position), 0, -1):
                key = tuple(word for word, _, _ in words[position : position + length])
                hit = self._index.get(key)
                start, end = words[position][1], words[position + length - 1][2]
                if hit and _case_allows(hit[1], text[start:end]):
                    candidates.append((length, position, hit, start, end))
                    break
        taken: set[int] = set()
        found = []
        for length, position, hit, start, end in sorted(candidates, key=lambda c: (-c[0], c[1])):
            span = set(range(position, position + length))
            if span & taken:
                continue
            taken |= span
            spelling = text[start:end]
            method = "exact" if spelling == hit[1] else "normalised"
            found.append(NameMatch(hit[0], start, end, spelling, method))
        return sorted(found, key=lambda match: match.start)

    def nearest(self, fragment: str, limit: int = 3) -> list[Candidate]:
        """The registry names most like fragment, best first (scores 0-100).

        Short acronyms stay capitals-only here too: "red" is not near "RED".
        """
        results = process.extract(
            fold_name(fragment), self._choices.keys(), scorer=fuzz.ratio, limit=None
        )
        candidates = (Candidate(*self._choices[choice], score) for choice, score, _ in results)
        return [c for c in candidates if _case_allows(c.alias, fragment)][:limit]


def resembles(fragment: str, candidate: Candidate, threshold: float) -> bool:
    """Whether a fragment is like a registry name as a whole and word by word: a
    misspelling ("Merpel" for "Merpol"), not another body with a shared word
    ("Merseyside Fire" is 81 like "Merseyside Police", but "fire" is not "police")."""
    alias_words = fold_name(candidate.alias).split()
    return candidate.score >= threshold and all(
        max(fuzz.ratio(word, alias_word) for alias_word in alias_words) >= threshold
        for word in fold_name(fragment).split()
    )


def _case_allows(alias: str, spelling: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    if len(letters) <= _ACRONYM_MAX and alias.isupper():
        return spelling == spelling.upper()
    return True
