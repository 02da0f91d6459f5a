"""Points: a base that grows with the section's difficulty, scaled by the answer's score,
plus a capped bonus for answers in a row."""
from __future__ import annotations

BASE_POINTS = 100     # per correct answer in the easiest section
TIER_STEP = 50        # added per step of section difficulty
MAX_TIER = 8          # banks with many sections stop growing the base here
STREAK_STEP = 20      # bonus per correct answer already in the current streak
STREAK_CAP = 100      # the bonus never exceeds this


def base_points(tier: int) -> int:
    return BASE_POINTS + TIER_STEP * min(max(tier, 0), MAX_TIER)


def streak_bonus(streak_before: int) -> int:
    return min(STREAK_STEP * streak_before, STREAK_CAP)


def points_for(tier: int, score: float, correct: bool, streak_before: int) -> int:
    """round(base × score), plus the streak bonus when the answer is fully correct."""
    return round(base_points(tier) * score) + (streak_bonus(streak_before) if correct else 0)
