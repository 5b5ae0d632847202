"""Kitchen units and conversions between units of the same dimension."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    name: str
    dimension: str  # "mass", "volume" or "count"
    base_factor: float  # how many base units (g, ml, piece) one of this unit is


UNITS: dict[str, Unit] = {
    u.name: u
    for u in [
        Unit("g", "mass", 1.0),
        Unit("kg", "mass", 1000.0),
        Unit("ml", "volume", 1.0),
        Unit("l", "volume", 1000.0),
        Unit("tsp", "volume", 5.0),
        Unit("tbsp", "volume", 15.0),
        Unit("cup", "volume", 240.0),
        Unit("piece", "count", 1.0),
    ]
}

ALIASES = {"cups": "cup", "grams": "g", "gram": "g", "teaspoon": "tsp", "tablespoon": "tbsp", "pieces": "piece"}


class UnknownUnit(ValueError):
    pass


def lookup(name: str) -> Unit:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in UNITS:
        raise UnknownUnit(f"unknown unit {name!r}; known: {', '.join(sorted(UNITS))}")
    return UNITS[key]


def convert(amount: float, source: Unit, target: Unit) -> float:
    if source.dimension != target.dimension:
        raise ValueError(f"cannot convert {source.name} ({source.dimension}) to {target.name} ({target.dimension})")
    return amount * source.base_factor / target.base_factor
