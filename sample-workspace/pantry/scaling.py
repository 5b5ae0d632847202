"""Scaling a recipe to another number of servings."""

from .ingredients import Ingredient
from .recipe import Recipe
from .units import UNITS, convert

# Bigger units are preferred once an amount reaches this many of them.
PROMOTE = {"g": ("kg", 1.0), "ml": ("l", 1.0), "tsp": ("tbsp", 1.0), "tbsp": ("cup", 0.25)}


def readable(ingredient: Ingredient) -> Ingredient:
    unit = ingredient.unit
    amount = ingredient.amount
    while unit.name in PROMOTE:
        bigger, threshold = PROMOTE[unit.name]
        converted = convert(amount, unit, UNITS[bigger])
        if converted < threshold:
            break
        amount, unit = converted, UNITS[bigger]
    return Ingredient(round(amount, 2), unit, ingredient.name)


def scale(recipe: Recipe, servings: int) -> Recipe:
    if servings < 1:
        raise ValueError("cannot scale to fewer than one serving")
    factor = servings / recipe.servings
    scaled = [readable(Ingredient(i.amount * factor, i.unit, i.name)) for i in recipe.ingredients]
    return Recipe(recipe.name, servings, scaled)
