"""python -m pantry RECIPE_FILE --servings N"""

import argparse
import sys
from pathlib import Path

from .recipe import Recipe
from .scaling import scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pantry", description="Scale a recipe file.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--servings", type=int, required=True)
    args = parser.parse_args(argv)
    try:
        recipe = Recipe.from_text(args.file.read_text(encoding="utf-8"))
        print(scale(recipe, args.servings).render())
    except (OSError, ValueError) as err:
        print(f"pantry: {args.file}: {err}", file=sys.stderr)
        return 1
    return 0
