"""A recipe: a name, a number of servings and its ingredients."""

from dataclasses import dataclass, field

from .ingredients import Ingredient, parse_line


@dataclass
class Recipe:
    name: str
    servings: int
    ingredients: list[Ingredient] = field(default_factory=list)

    @classmethod
    def parse(cls, name: str, servings: int, lines: list[str]) -> "Recipe":
        if servings < 1:
            raise ValueError("a recipe serves at least one person")
        return cls(name, servings, [parse_line(line) for line in lines if line.strip()])

    @classmethod
    def from_text(cls, text: str) -> "Recipe":
        """First line "Name (serves N)", then one ingredient per line."""
        head, *lines = text.strip().splitlines()
        name, _, serves = head.partition("(serves")
        return cls.parse(name.strip(), int(serves.strip(" )") or 1), lines)

    def render(self) -> str:
        body = "\n".join(f"- {i.render()}" for i in self.ingredients)
        return f"{self.name} (serves {self.servings})\n{body}"
