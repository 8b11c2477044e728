"""A shift with `min_female` or `min_male` gets at least that many women or men, as far as the volunteers allow.

Formulation: a shortfall variable per shift and gender, `women on the shift + shortfall >=
min_female` (likewise men), charged under the dominant goal `coverage` (`base.Minimums`).
"""

from __future__ import annotations

from constraints.base import Minimums

NAME = "gender_mix"
KIND = "coverage"
GENDERS = ("female", "male")

_minimums = Minimums(lambda item: item in GENDERS)
genders = _minimums.requirements
add = _minimums.add
shortfall = _minimums.shortfall
score = _minimums.score
