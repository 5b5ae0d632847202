import unittest

from pantry import Recipe, parse_line, scale
from pantry.units import UNITS, convert


class ParseTest(unittest.TestCase):
    def test_mixed_fraction(self):
        flour = parse_line("1 1/2 cups flour")
        self.assertEqual((flour.amount, flour.unit.name, flour.name), (1.5, "cup", "flour"))

    def test_count_without_unit(self):
        eggs = parse_line("3 eggs")
        self.assertEqual((eggs.amount, eggs.unit.name, eggs.name), (3.0, "piece", "eggs"))


class ScaleTest(unittest.TestCase):
    def test_triples_and_promotes_units(self):
        soup = Recipe.parse("Soup", 2, ["400 g tomatoes", "2 tsp salt"])
        big = scale(soup, 6)
        self.assertEqual([i.render() for i in big.ingredients], ["1.2 kg tomatoes", "2 tbsp salt"])

    def test_rejects_zero_servings(self):
        with self.assertRaises(ValueError):
            scale(Recipe.parse("Soup", 2, ["1 l water"]), 0)

    def test_convert_refuses_mixed_dimensions(self):
        with self.assertRaises(ValueError):
            convert(1, UNITS["g"], UNITS["ml"])


if __name__ == "__main__":
    unittest.main()
