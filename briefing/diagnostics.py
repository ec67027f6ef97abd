"""Problems found in the editors' files, reported as `path:line:col: severity: message`."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # repository-relative, forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Mark:
    """Where a value stands in a file."""

    path: str
    line: int = 0
    col: int = 0


def error(mark: Mark, message: str) -> Diagnostic:
    return Diagnostic(mark.path, mark.line, mark.col, "error", message)


def warning(mark: Mark, message: str) -> Diagnostic:
    return Diagnostic(mark.path, mark.line, mark.col, "warning", message)


@dataclass
class Report:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, mark: Mark, message: str) -> None:
        self.items.append(error(mark, message))

    def warning(self, mark: Mark, message: str) -> None:
        self.items.append(warning(mark, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def lines(self) -> list[str]:
        return [str(d) for d in sorted(set(self.items))]

    def print(self) -> None:
        """Every problem, sorted by file and line, on stderr."""
        for line in self.lines():
            print(line, file=sys.stderr)

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"


def relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
