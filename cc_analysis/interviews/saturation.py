"""Saturation: would more interviews reveal new themes?

Owns the cumulative count of distinct themes as interviews are added, the random-order band that
shows how much the curve owes to the order of interviews, and the stopping rule of Guest, Namey &
Chen (2020, PLoS ONE 15(5): e0232076) stated in words.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Saturation:
    """Themes discovered as interviews are added.

    ``curve``: one row per interview in order (``interviews``, ``interview_id``, ``new_themes``,
    ``cumulative_themes``, ``share_found``) plus the mean and 10th/90th percentile of the
    cumulative count over random interview orders (``random_mean``, ``random_lo``,
    ``random_hi``). ``reached_at``: the number of interviews after which the Guest et al. (2020)
    stopping rule holds (a run of ``run`` interviews adds at most ``threshold`` new themes
    relative to the themes in the ``base`` interviews before it), or None.
    """

    curve: pd.DataFrame
    total_themes: int
    reached_at: int | None
    base: int
    run: int
    threshold: float

    def statement(self) -> str:
        n = len(self.curve)
        rule = (f"base {self.base}, run {self.run}, at most {self.threshold:.0%} new "
                "information; Guest et al. 2020")
        if n < self.base + self.run:
            return (f"Too few interviews ({n}) to judge saturation; the rule needs at least "
                    f"{self.base + self.run} ({rule}).")
        if self.reached_at is not None:
            return (f"Saturation reached after {self.reached_at} of {n} interviews: later "
                    f"interviews added few new themes ({rule}).")
        last = int(self.curve["new_themes"].tail(self.run).sum())
        return (f"Not saturated: the last {self.run} interviews still added {last} new "
                f"theme(s); more interviews are likely to reveal more ({rule}).")


def saturation_curve(
    theme_sets: Sequence[tuple[str, Collection[str]]],
    *,
    base: int = 4,
    run: int = 2,
    threshold: float = 0.05,
    n_permutations: int = 200,
    seed: int = 42,
) -> Saturation:
    """Cumulative distinct themes over interviews, in the given order.

    ``theme_sets``: (interview id, themes raised in it) in the order the interviews happened.
    The stopping rule follows Guest, Namey & Chen (2020, PLoS ONE 15(5): e0232076): with a
    rolling base of ``base`` interviews, saturation is reached at the first run of ``run``
    interviews whose new themes number at most ``threshold`` times the distinct themes in the
    base. The random-order band shows how much the curve owes to the order of interviews.
    """
    ids = [i for i, _ in theme_sets]
    sets = [set(s) for _, s in theme_sets]

    def cumulative(order: Sequence[int]) -> np.ndarray:
        seen: set[str] = set()
        out = []
        for k in order:
            seen |= sets[k]
            out.append(len(seen))
        return np.asarray(out)

    n = len(sets)
    cum = cumulative(range(n))
    new = np.diff(np.concatenate([[0], cum])) if n else np.array([], dtype=int)
    rng = np.random.default_rng(seed)
    perms = np.array([cumulative(rng.permutation(n)) for _ in range(n_permutations)]) if n else (
        np.zeros((0, 0)))
    total = int(cum[-1]) if n else 0
    curve = pd.DataFrame({
        "interviews": np.arange(1, n + 1), "interview_id": ids, "new_themes": new,
        "cumulative_themes": cum, "share_found": cum / max(1, total),
        "random_mean": perms.mean(axis=0) if n else [],
        "random_lo": np.percentile(perms, 10, axis=0) if n else [],
        "random_hi": np.percentile(perms, 90, axis=0) if n else [],
    })
    reached = None
    for start in range(0, n - base - run + 1):
        in_base = set().union(*sets[start:start + base])
        before = set().union(*sets[:start + base])
        run_new = set().union(*sets[start + base:start + base + run]) - before
        if in_base and len(run_new) / len(in_base) <= threshold:
            reached = start + base + run
            break
    return Saturation(curve, total, reached, base, run, threshold)
