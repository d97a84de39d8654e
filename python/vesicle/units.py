"""Quantities with units, checked before anything runs.

A quantity is written as a string (``"1.5 ms"``, ``"20 kHz"``) or built from the small unit type
(``1.5 * ms``, ``Quantity(1.5, "ms")``). The units and dimensions are those of the network language
(docs/LANGUAGE.md, "Lexical structure"): every value is converted to the language's storage unit
(ms, mV, pA, pF, Hz, nS, ...) before it is handed to the executable, so a quantity of the wrong
dimension (``duration="1 mV"``) raises :class:`UnitError` in Python, never inside a run.
"""
from __future__ import annotations

import math
import numbers
import re

from .errors import UnitError

# Dimension exponents over (time, voltage, current), as in Sources/VesicleDSL/Dimension.swift.
_TIME = (1, 0, 0)
_VOLTAGE = (0, 1, 0)
_CURRENT = (0, 0, 1)
_RATE = (-1, 0, 0)
_RESISTANCE = (0, 1, -1)
_CONDUCTANCE = (0, -1, 1)
_CAPACITANCE = (1, -1, 1)
_CHARGE = (1, 0, 1)
_NONE = (0, 0, 0)

DIMENSION_NAMES = {
    _TIME: "time", _VOLTAGE: "voltage", _CURRENT: "current", _RATE: "rate", _RESISTANCE: "resistance",
    _CONDUCTANCE: "conductance", _CAPACITANCE: "capacitance", _CHARGE: "charge", _NONE: "dimensionless",
}
_BY_NAME = {name: dim for dim, name in DIMENSION_NAMES.items()}

# unit -> (dimension, factor to the storage unit). The storage units are the language's: ms, mV, pA,
# pF, Hz, GOhm (= mV/pA), nS (= pA/mV), fC (= pA ms).
UNITS = {
    "ms": (_TIME, 1.0), "s": (_TIME, 1e3), "us": (_TIME, 1e-3),
    "mV": (_VOLTAGE, 1.0), "V": (_VOLTAGE, 1e3), "uV": (_VOLTAGE, 1e-3),
    "pA": (_CURRENT, 1.0), "fA": (_CURRENT, 1e-3), "nA": (_CURRENT, 1e3), "uA": (_CURRENT, 1e6), "mA": (_CURRENT, 1e9),
    "pF": (_CAPACITANCE, 1.0), "fF": (_CAPACITANCE, 1e-3), "nF": (_CAPACITANCE, 1e3), "uF": (_CAPACITANCE, 1e6),
    "Hz": (_RATE, 1.0), "kHz": (_RATE, 1e3),
    "GOhm": (_RESISTANCE, 1.0), "MOhm": (_RESISTANCE, 1e-3), "kOhm": (_RESISTANCE, 1e-6), "Ohm": (_RESISTANCE, 1e-9),
    "nS": (_CONDUCTANCE, 1.0), "pS": (_CONDUCTANCE, 1e-3), "uS": (_CONDUCTANCE, 1e3), "mS": (_CONDUCTANCE, 1e6),
    "fC": (_CHARGE, 1.0), "pC": (_CHARGE, 1e3), "nC": (_CHARGE, 1e6),
}
STORAGE_UNIT = {_TIME: "ms", _VOLTAGE: "mV", _CURRENT: "pA", _CAPACITANCE: "pF", _RATE: "Hz",
                _RESISTANCE: "GOhm", _CONDUCTANCE: "nS", _CHARGE: "fC", _NONE: ""}

_PATTERN = re.compile(r"^\s*([-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z]*)\s*$")


class Quantity:
    """A number with a unit of the network language: ``Quantity(1.5, "ms")``, ``1.5 * ms``."""

    __slots__ = ("value", "unit")

    def __init__(self, value, unit: str):
        if unit not in UNITS:
            raise UnitError("unknown unit %r%s; units: %s" % (unit, _suggest(unit), ", ".join(UNITS)))
        value = float(value)
        if not math.isfinite(value):
            raise UnitError("quantity %r %s is not finite" % (value, unit))
        self.value = value
        self.unit = unit

    @property
    def dimension(self) -> str:
        return DIMENSION_NAMES[UNITS[self.unit][0]]

    def to(self, unit: str) -> float:
        """The value expressed in ``unit`` (which must have the same dimension)."""
        if unit not in UNITS:
            raise UnitError("unknown unit %r%s" % (unit, _suggest(unit)))
        if UNITS[unit][0] != UNITS[self.unit][0]:
            raise UnitError("%s is a %s, not a %s" % (self, self.dimension, DIMENSION_NAMES[UNITS[unit][0]]))
        if unit == self.unit:
            return self.value
        return self.value * UNITS[self.unit][1] / UNITS[unit][1]

    def __rmul__(self, number):
        if isinstance(number, numbers.Real) and not isinstance(number, bool):
            return Quantity(float(number) * self.value, self.unit)
        return NotImplemented

    __mul__ = __rmul__

    def __neg__(self):
        return Quantity(-self.value, self.unit)

    def __eq__(self, other):
        return isinstance(other, Quantity) and UNITS[other.unit][0] == UNITS[self.unit][0] and \
            other.to(self.unit) == self.value

    def __hash__(self):
        return hash((UNITS[self.unit][0], self.value * UNITS[self.unit][1]))

    def __repr__(self):
        return "Quantity(%r, %r)" % (self.value, self.unit)

    def __str__(self):
        return "%s %s" % (_number(self.value), self.unit)

    def vsl(self) -> str:
        """The quantity as network-language text, exact (shortest round-trip decimal)."""
        return "%s %s" % (_number(self.value), self.unit)


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _suggest(unit: str) -> str:
    for candidate in UNITS:
        if candidate.lower() == unit.lower():
            return " (did you mean %r?)" % candidate
    return ""


def quantity(value, dimension: str, what: str = "value") -> Quantity:
    """Parse ``value`` (a string such as "1.5 ms" or a :class:`Quantity`) and require ``dimension``.

    A bare number is refused: the caller must say which unit it means.
    """
    if dimension not in _BY_NAME:
        raise ValueError("unknown dimension %r" % dimension)
    if isinstance(value, Quantity):
        q = value
    elif isinstance(value, str):
        match = _PATTERN.match(value)
        if not match:
            raise UnitError("%s: cannot read %r as a quantity; write a number and a unit, e.g. \"1.5 %s\""
                            % (what, value, STORAGE_UNIT[_BY_NAME[dimension]]))
        number, unit = match.groups()
        if not unit:
            raise UnitError("%s: %r has no unit; write e.g. \"%s %s\"" % (what, value, number, STORAGE_UNIT[_BY_NAME[dimension]]))
        if unit not in UNITS:
            raise UnitError("%s: unknown unit %r in %r%s" % (what, unit, value, _suggest(unit)))
        q = Quantity(float(number.replace("_", "")), unit)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        raise UnitError("%s: the number %r has no unit; write it as a string with its unit, e.g. \"%s %s\", or as %s * vesicle.units.%s"
                        % (what, value, _number(value), STORAGE_UNIT[_BY_NAME[dimension]], _number(value), STORAGE_UNIT[_BY_NAME[dimension]]))
    else:
        raise UnitError("%s: expected a quantity such as \"1.5 %s\", got %r" % (what, STORAGE_UNIT[_BY_NAME[dimension]], value))
    if UNITS[q.unit][0] != _BY_NAME[dimension]:
        raise UnitError("%s: %s is a %s, but a %s is expected (e.g. \"1 %s\")"
                        % (what, q, q.dimension, dimension, STORAGE_UNIT[_BY_NAME[dimension]]))
    return q


def to_storage(value, dimension: str, what: str = "value") -> float:
    """The value in the language's storage unit of ``dimension`` (ms for time, mV for voltage, ...)."""
    q = quantity(value, dimension, what)
    return q.to(STORAGE_UNIT[_BY_NAME[dimension]])


# The small unit type: `1.5 * ms`.
ms = Quantity(1, "ms")
s = Quantity(1, "s")
us = Quantity(1, "us")
mV = Quantity(1, "mV")
V = Quantity(1, "V")
uV = Quantity(1, "uV")
pA = Quantity(1, "pA")
nA = Quantity(1, "nA")
pF = Quantity(1, "pF")
nF = Quantity(1, "nF")
Hz = Quantity(1, "Hz")
kHz = Quantity(1, "kHz")
MOhm = Quantity(1, "MOhm")
GOhm = Quantity(1, "GOhm")
nS = Quantity(1, "nS")
uS = Quantity(1, "uS")
