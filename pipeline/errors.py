"""The one error type a user should ever see from the pipeline."""

from __future__ import annotations


class InputError(Exception):
    """A document the pipeline cannot turn into a dataset, and why.

    Carries the file, the place in it (may be empty for whole-file problems) and
    the reason, so the CLI can print one line a person can act on.
    """

    def __init__(self, source: str, reason: str, where: str = "") -> None:
        self.source = source
        self.where = where
        self.reason = reason
        super().__init__(str(self))

    def __reduce__(self):
        # so it crosses from a worker process intact (PDF pages are read in parallel)
        return (InputError, (self.source, self.reason, self.where))

    def __str__(self) -> str:
        place = f"{self.source}, {self.where}" if self.where else self.source
        return f"{place}: {self.reason}"
