"""Parse, convert and scale recipes."""

from .ingredients import Ingredient, parse_line
from .recipe import Recipe
from .scaling import scale

__all__ = ["Ingredient", "Recipe", "parse_line", "scale"]
