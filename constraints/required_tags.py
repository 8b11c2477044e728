"""A shift with `require: {tag: N}` gets at least N people carrying that skill or role, as far as the volunteers allow.

Formulation: a shortfall variable per shift and tag, `carriers on the shift + shortfall >= N`,
charged under the dominant goal `coverage` (`base.Minimums`); every requirement that is not a
gender (`gender_mix`) is a tag.
"""

from __future__ import annotations

from constraints.base import Minimums
from constraints.gender_mix import GENDERS

NAME = "required_tags"
KIND = "coverage"

_minimums = Minimums(lambda item: item not in GENDERS)
tags = _minimums.requirements
add = _minimums.add
shortfall = _minimums.shortfall
score = _minimums.score
