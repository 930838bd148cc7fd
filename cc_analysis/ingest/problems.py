"""What ingest refuses, and how it says so: every problem names file, row, line and column.

Owns :class:`Problem` (one finding) and :class:`IngestError` (all of a run's findings, raised
before anything is written, so the previous store stays intact).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS = 20  # shown in the error message; the error keeps them all


@dataclass(frozen=True)
class Problem:
    """One reason a source was refused; ``str()`` reads "file, row 3 (line 4), column 'x': ..."."""


    file: str
    row: int | None  # 1-based data row; None for file-level problems
    column: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (line {self.line})" if self.line else ""))
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return ", ".join(where) + f": {self.message}"


class IngestError(ValueError):
    """A source failed validation. Nothing was written; the previous store is intact."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:MAX_PROBLEMS])
        more = len(problems) - MAX_PROBLEMS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"ingest refused {len({p.file for p in problems})} source file(s); "
            f"the previous store was left unchanged:\n{shown}{tail}"
        )
