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


# Blitz scores as Kahoot does: up to 1000 points a question, half of them lost linearly
# over the time allowed, plus 100 per answer already right in a row, at most 500.
BLITZ_POINTS = 1000
BLITZ_STREAK_STEP = 100
BLITZ_STREAK_CAP = 500


def blitz_points(seconds: float, limit: float, correct: bool, run_before: int) -> int:
    """round((1 − (t/T)/2) × P) plus the streak bonus for a right answer in t of T seconds."""
    if not correct or limit <= 0:
        return 0
    t = min(max(seconds, 0.0), limit)
    return round((1 - (t / limit) / 2) * BLITZ_POINTS) + min(BLITZ_STREAK_STEP * run_before, BLITZ_STREAK_CAP)
