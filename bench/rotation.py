"""Benchmark of the rotation proposal (timing lives here, not in the unit tests).

Run from the project root: `.venv/bin/python bench/rotation.py`. Round 1 is a random free choice;
every later round is proposed from the rounds before it. The cases with needs give some guests a
language to be interpreted and some tables that language (a host or an interpreter); each is run
with and without that input, side by side: the share of people with a need seated with their
language over all proposed rounds, and the repeats.
"""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.services.cafe.rotation import count_needs_met, count_repeats, propose  # noqa: E402

CASES = [  # (guests, tables, hosted tables, rounds)
    (24, 6, 6, 3),
    (7, 3, 0, 4),
    (37, 5, 2, 4),
    (120, 12, 12, 4),
    (200, 20, 0, 4),
    (200, 20, 20, 4),
]

NEED_CASES = [  # (guests, tables, hosted tables, rounds, share with a need, {language: tables covering it})
    (120, 12, 12, 4, 0.15, {"ar": 3, "fa": 2, "uk": 2}),
    (200, 20, 20, 4, 0.15, {"ar": 3, "fa": 2, "uk": 3}),
    (200, 20, 0, 4, 0.15, {"ar": 2, "fa": 3, "uk": 2}),
    (37, 5, 2, 4, 0.15, {"ar": 1, "fa": 1}),
    # Arabic only at one table of about ten places for eighteen people: balance wins.
    (120, 12, 12, 4, 0.15, {"ar": 1}),
]


def free_choice(guests, tables, rng):
    """A balanced first round as people might sit down on their own."""
    order = list(guests)
    rng.shuffle(order)
    return {guest: tables[i % len(tables)] for i, guest in enumerate(order)}


def run(n_guests, n_tables, n_hosted, n_rounds, seed=1, needs=None, coverage=None, use_languages=True):
    """The proposed rounds' times, repeats and needs met (met, total) per round."""
    rng = random.Random(seed)
    guests = list(range(1, n_guests + 1))
    tables = list(range(101, 101 + n_tables))
    hosted = set(tables[:n_hosted])
    history = [free_choice(guests, tables, rng)]
    times, repeats, met = [], [], []
    for _ in range(n_rounds - 1):
        started = time.perf_counter()
        given = {"needs": needs, "coverage": coverage} if use_languages else {}
        proposal = propose(history, guests, tables, hosted, **given)
        times.append(time.perf_counter() - started)
        assert (proposal.repeats, proposal.revisits) == count_repeats(history, proposal.seats, hosted)
        repeats.append(proposal.repeats)
        met.append(count_needs_met(proposal.seats, needs, coverage))
        history.append(proposal.seats)
    return times, repeats, met


def plain(n_guests, n_tables, n_hosted, n_rounds):
    times, repeats, _ = run(n_guests, n_tables, n_hosted, n_rounds)
    hosts = f"{n_hosted} hosts" if n_hosted else "no hosts"
    print(f"rotation {n_guests} guests / {n_tables} tables ({hosts}) / {n_rounds} rounds: "
          f"{sum(times) / len(times):.3f} s per proposal (max {max(times):.3f} s), "
          f"repeats {sum(repeats)} ({', '.join(map(str, repeats))})")


def with_needs(n_guests, n_tables, n_hosted, n_rounds, share, covered, seed=1):
    rng = random.Random(seed * 7919)
    tables = list(range(101, 101 + n_tables))
    languages = list(covered)
    needy = rng.sample(range(1, n_guests + 1), round(share * n_guests))
    needs = {person: languages[i % len(languages)] for i, person in enumerate(needy)}
    coverage, free = {table: set() for table in tables}, list(tables)
    rng.shuffle(free)
    for language, count in covered.items():  # each language at its own tables
        for table in (free.pop() for _ in range(count)):
            coverage[table].add(language)
    spread = ", ".join(f"{language} {sum(1 for v in needs.values() if v == language)} people/{count} tables"
                       for language, count in covered.items())
    hosts = f"{n_hosted} hosts" if n_hosted else "no hosts"
    print(f"needs {n_guests} guests / {n_tables} tables ({hosts}) / {n_rounds} rounds, {len(needs)} with a need "
          f"({spread}):")
    for label, use in (("with languages   ", True), ("without languages", False)):
        times, repeats, met = run(n_guests, n_tables, n_hosted, n_rounds, seed, needs, coverage, use)
        seated, total = sum(m for m, _ in met), sum(t for _, t in met)
        print(f"  {label}: seated with their language {seated}/{total} = {seated / total:.0%} "
              f"({', '.join(f'{m}/{t}' for m, t in met)}), repeats {sum(repeats)} ({', '.join(map(str, repeats))}), "
              f"{sum(times) / len(times):.3f} s per proposal (max {max(times):.3f} s)")


if __name__ == "__main__":
    for case in CASES:
        plain(*case)
    for case in NEED_CASES:
        with_needs(*case)
