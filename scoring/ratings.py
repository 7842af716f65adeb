"""Rating bands: which band a score earns, where a band's scores lie, how far apart two bands are.

Both the one-return engine (:mod:`scoring.engine`) and the batch path (:mod:`scoring.batch`) take their band
rules from here, so the two cannot drift apart.
"""

from __future__ import annotations

from scoring.definitions.model import Scale

# A score this close below a threshold still earns the band. Scores come from a handful of points and
# weights, so a mathematically exact boundary (17 of 20 points against a 0.85 threshold, or a weighted
# mean that works out to exactly 0.85) can land one rounding step short of it in floating point; no
# genuine score is that close.
BOUNDARY_TOLERANCE = 1e-9

# The two colours whose pairing is a mismatch whatever the distance between the bands.
_OPPOSITE_COLOURS = frozenset({"green", "red"})


def band_index(scale: Scale, score: float) -> int:
    """Position (0 = best) of the first band, best first, whose ``min_score`` the score reaches.

    A score exactly on a threshold earns that band; the last band's threshold is 0, so every score in [0, 1]
    earns some band.
    """
    for position, rating in enumerate(scale.ratings):
        if score >= rating.min_score - BOUNDARY_TOLERANCE:
            return position
    return len(scale.ratings) - 1


def band_position(scale: Scale, rating_id: str) -> int:
    """Position (0 = best) of the band with this id; ``ValueError`` naming the scale if there is none."""
    for position, rating in enumerate(scale.ratings):
        if rating.id == rating_id:
            return position
    known = ", ".join(rating.id for rating in scale.ratings)
    raise ValueError(f"{rating_id!r} is not a rating of the scale {scale.name!r} (its ratings are {known})")


def band_range(scale: Scale, position: int) -> tuple[float, float]:
    """The scores a band covers: from its own threshold up to the next better band's threshold (1 for
    the best band)."""
    low = scale.ratings[position].min_score
    high = 1.0 if position == 0 else scale.ratings[position - 1].min_score
    return low, high


def moderated_score(scale: Scale, position: int, score: float | None) -> float:
    """The score a moderated standard contributes to the overall rating of its return.

    Moderation settles the band, not the number, so the scored score is moved into the moderated band's range:
    unchanged when the moderator agrees with the scored band, raised to the band's threshold when
    moderated up, lowered to the next better band's threshold when moderated down. A standard moderated
    from "not applicable" or from no rating has no score to move and counts at the middle of its band.
    """
    low, high = band_range(scale, position)
    if score is None:
        return (low + high) / 2
    return min(max(score, low), high)


def is_mismatch(scale: Scale, first: int, second: int) -> bool:
    """Whether two bands disagree enough to flag: green against red, or two or more bands apart."""
    colours = {scale.ratings[first].colour, scale.ratings[second].colour}
    return colours == _OPPOSITE_COLOURS or abs(first - second) >= 2
