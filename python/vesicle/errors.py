"""Exceptions, and the diagnostics `vesicle check` prints, read back into values.

`vesicle check` has no machine-readable output mode; its text format is the stable rendering of
Sources/VesicleDSL/Diagnostic.swift (docs/LANGUAGE.md, "Checks and diagnostics"):

    path:line:column: error|warning|note: message
    <the source line>
    <spaces>^~~~
    help: did you mean 'x'?        (optional)
    note: ...                      (zero or more)

`parse_diagnostics` reads exactly that; anything else on standard error (an argument error, an I/O
failure) is kept as the exception's message.
"""
from __future__ import annotations

import dataclasses
import re
from typing import List, Optional

_HEADER = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|note): (?P<message>.*)$")
_HELP = re.compile(r"^help: did you mean '(?P<suggestion>.*)'\?$")
_NOTE = re.compile(r"^note: (?P<note>.*)$")
_CARET = re.compile(r"^ *\^~*$")


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One located message about a network file."""

    path: str
    line: int
    column: int
    severity: str
    message: str
    source_line: Optional[str] = None
    length: int = 1
    suggestion: Optional[str] = None
    notes: tuple = ()

    def __str__(self):
        text = "%s:%d:%d: %s: %s" % (self.path, self.line, self.column, self.severity, self.message)
        if self.source_line is not None:
            text += "\n" + self.source_line + "\n" + " " * (self.column - 1) + "^" + "~" * max(0, self.length - 1)
        if self.suggestion:
            text += "\nhelp: did you mean '%s'?" % self.suggestion
        for note in self.notes:
            text += "\nnote: " + note
        return text


def parse_diagnostics(text: str) -> List[Diagnostic]:
    """The diagnostics in `vesicle check`/`vesicle run` standard error, in order."""
    lines = text.splitlines()
    result = []
    i = 0
    while i < len(lines):
        match = _HEADER.match(lines[i])
        if not match:
            i += 1
            continue
        fields = match.groupdict()
        i += 1
        source_line, length = None, 1
        # The excerpt: a source line followed by its caret line.
        if i + 1 < len(lines) and not _HEADER.match(lines[i]) and _CARET.match(lines[i + 1]):
            source_line = lines[i]
            length = lines[i + 1].count("^") + lines[i + 1].count("~")
            i += 2
        suggestion, notes = None, []
        while i < len(lines):
            help_match, note_match = _HELP.match(lines[i]), _NOTE.match(lines[i])
            if help_match:
                suggestion = help_match.group("suggestion")
            elif note_match:
                notes.append(note_match.group("note"))
            else:
                break
            i += 1
        result.append(Diagnostic(fields["path"], int(fields["line"]), int(fields["column"]), fields["severity"],
                                 fields["message"], source_line, length, suggestion, tuple(notes)))
    return result


class VesicleError(Exception):
    """An error reported by the `vesicle` executable, with its located diagnostics if any."""

    def __init__(self, message: str, diagnostics=(), stderr: str = "", returncode: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)
        self.stderr = stderr
        self.returncode = returncode

    @property
    def errors(self) -> List[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def __str__(self):
        if not self.diagnostics:
            return self.message
        return self.message + "\n" + "\n".join(str(d) for d in self.diagnostics)


class CheckError(VesicleError):
    """The network file has errors (`vesicle check` exit status 1)."""


class RunError(VesicleError):
    """`vesicle run` exited with a non-zero status (the tool's message is the exception's)."""


class ExecutableNotFoundError(VesicleError, FileNotFoundError):
    """No `vesicle` executable was found."""


class UnitError(VesicleError, ValueError):
    """A quantity without a unit, with an unknown unit, or of the wrong dimension."""
