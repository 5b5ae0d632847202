"""One ingredient line: an amount, a unit and what it is."""

from dataclasses import dataclass
from fractions import Fraction

from .units import UNITS, Unit, UnknownUnit, lookup


@dataclass(frozen=True)
class Ingredient:
    amount: float
    unit: Unit
    name: str

    def render(self) -> str:
        amount = f"{self.amount:g}"
        unit = "" if self.unit.dimension == "count" else f" {self.unit.name}"
        return f"{amount}{unit} {self.name}"


def _parse_amount(tokens: list[str]) -> tuple[float, list[str]]:
    """Reads "2", "0.5", "1/2" or "1 1/2" from the front of the tokens."""
    total = Fraction(0)
    used = 0
    for token in tokens[:2]:
        try:
            total += Fraction(token)
        except ValueError:
            break
        used += 1
    if used == 0:
        raise ValueError(f"no amount at the start of {' '.join(tokens)!r}")
    return float(total), tokens[used:]


def parse_line(line: str) -> Ingredient:
    amount, rest = _parse_amount(line.split())
    if not rest:
        raise ValueError(f"no ingredient after the amount in {line!r}")
    try:
        unit = lookup(rest[0])
        rest = rest[1:]
    except UnknownUnit:
        unit = UNITS["piece"]  # "3 eggs"
    return Ingredient(amount, unit, " ".join(rest))
