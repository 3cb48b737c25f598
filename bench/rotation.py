"""Benchmark of the rotation proposal (timing lives here, not in the unit tests).

Run from the project root: `.venv/bin/python bench/rotation.py`. Round 1 is a random free choice;
every later round is proposed from the rounds before it.
"""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.services.cafe.rotation import count_repeats, propose  # noqa: E402

CASES = [  # (guests, tables, hosted tables, rounds)
    (24, 6, 6, 3),
    (7, 3, 0, 4),
    (37, 5, 2, 4),
    (120, 12, 12, 4),
    (200, 20, 0, 4),
    (200, 20, 20, 4),
]


def free_choice(guests, tables, rng):
    """A balanced first round as people might sit down on their own."""
    order = list(guests)
    rng.shuffle(order)
    return {guest: tables[i % len(tables)] for i, guest in enumerate(order)}


def run(n_guests, n_tables, n_hosted, n_rounds, seed=1):
    rng = random.Random(seed)
    guests = list(range(1, n_guests + 1))
    tables = list(range(101, 101 + n_tables))
    hosted = set(tables[:n_hosted])
    history = [free_choice(guests, tables, rng)]
    times, repeats = [], []
    for _ in range(n_rounds - 1):
        started = time.perf_counter()
        proposal = propose(history, guests, tables, hosted)
        times.append(time.perf_counter() - started)
        assert (proposal.repeats, proposal.revisits) == count_repeats(history, proposal.seats, hosted)
        repeats.append(proposal.repeats)
        history.append(proposal.seats)
    hosts = f"{n_hosted} hosts" if n_hosted else "no hosts"
    print(f"rotation {n_guests} guests / {n_tables} tables ({hosts}) / {n_rounds} rounds: "
          f"{sum(times) / len(times):.3f} s per proposal (max {max(times):.3f} s), "
          f"repeats {sum(repeats)} ({', '.join(map(str, repeats))})")


if __name__ == "__main__":
    for case in CASES:
        run(*case)
