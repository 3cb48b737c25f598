"""The rotation proposal as a pure search over ids: who sits at which table in the next round.

`app/services/cafe/rotation.py` is the database side and re-exports `propose`. Hosts are not
participants: a table whose host link was opened counts as one person who sits there in every
round, so guests coming back to it meet the host again. A *repeat* is a pairing that happened
before: two people at one table who already shared a table in an earlier round, or a guest back at
a hosted table they sat at before. Besides repeats, the search avoids sending a guest back to any
table they sat at (a table they already know the topic of); that only breaks ties between seatings
with equally many repeats. People who need interpretation come before both: they are kept at a
table whose host or interpreter speaks their language, wherever any table does.
"""
import heapq
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

# The search stops at a seating without repeats and revisits (or as few as it can possibly have),
# when its budget of looked-at moves is spent, or at the time limit, whichever comes first. The
# budget, not the clock, ends a normal search, so one seed gives the same proposal on the
# moderator's page and at the round's start; the clock only guards against a slow machine.
RESTARTS = 3
WORK = 400_000  # candidate moves looked at over all restarts, about 0.3 s here
MIN_STEPS = 200
STEPS_PER_GUEST = 300  # small events need no more
TIME_LIMIT = 0.8


@dataclass(frozen=True)
class Proposal:
    seats: dict[int, int]  # participant id -> table id, for the guests that were placed
    repeats: int           # repeated pairings in the whole round (fixed people included)
    revisits: int = 0      # people back at a table they sat at before
    needs_met: int = 0     # people with an interpretation need at a table with their language
    needs: int = 0         # people with an interpretation need in the whole round


def count_repeats(history: list[dict[int, int]], seating: dict[int, int],
                  hosted: set[int] = frozenset()) -> tuple[int, int]:
    """Repeated pairings and table revisits of `seating` given the earlier rounds' `history`."""
    met: set[tuple[int, int]] = set()
    visited: set[tuple[int, int]] = set()
    for earlier in history:
        for table, people in _by_table(earlier).items():
            met.update(combinations(sorted(people), 2))
            visited.update((person, table) for person in people)
    repeats = revisits = 0
    for table, people in _by_table(seating).items():
        repeats += sum(1 for pair in combinations(sorted(people), 2) if pair in met)
        back = sum(1 for person in people if (person, table) in visited)
        revisits += back
        if table in hosted:
            repeats += back
    return repeats, revisits


def count_needs_met(seating: dict[int, int], needs: dict[int, str] | None,
                    coverage: dict[int, set[str]] | None) -> tuple[int, int]:
    """Of the people in `seating` with a need (person id -> language), how many sit at a table whose
    languages (`coverage`, table id -> languages) include theirs; and how many have a need."""
    needs, coverage = needs or {}, coverage or {}
    seated = [(language, seating[person]) for person, language in needs.items() if person in seating]
    return sum(1 for language, table in seated if language in coverage.get(table, ())), len(seated)


def _by_table(seating: dict[int, int]) -> dict[int, list[int]]:
    tables: dict[int, list[int]] = defaultdict(list)
    for person, table in seating.items():
        tables[table].append(person)
    return tables


def propose(history: list[dict[int, int]], guests: list[int], tables: list[int],
            hosted: set[int] = frozenset(), *, fixed: dict[int, int] | None = None,
            needs: dict[int, str] | None = None, coverage: dict[int, set[str]] | None = None,
            seed: int = 0, time_limit: float = TIME_LIMIT) -> Proposal:
    """Seat `guests` at `tables` so that table sizes differ by at most one and repeats are few.

    `history` holds the earlier rounds' seatings (participant id -> table id), `hosted` the tables
    with a host, `fixed` the people already seated in this round who must stay where they are.
    Hosts and fixed people count towards a table's size. `needs` gives the language a person needs
    interpreted (participant id -> code), `coverage` the languages spoken at each table (table id ->
    codes): a guest whose language some table covers is kept at such a table before anything else
    (one guest without their language weighs more than every repeat together), as far as balanced
    sizes allow. Greedy construction (guests with a need first, then the guest with the most
    earlier companions, each at the allowed table with the fewest conflicts), then tabu search over
    moves and swaps that keep the balance, restarted a few times; deterministic for a given seed.
    """
    tables = list(dict.fromkeys(tables))
    known = set(tables)
    fixed = {person: table for person, table in (fixed or {}).items() if table in known}
    guests = [guest for guest in dict.fromkeys(guests) if guest not in fixed]
    if not guests:
        return Proposal({}, *count_repeats(history, fixed, hosted), *count_needs_met(fixed, needs, coverage))
    if not tables:
        raise ValueError("no tables to seat guests at")
    search = _Search(history, guests, tables, set(hosted), fixed, random.Random(seed), needs or {}, coverage or {})
    deadline = time.perf_counter() + time_limit
    steps = max(MIN_STEPS, min(WORK // ((len(guests) + len(tables)) * RESTARTS),
                               STEPS_PER_GUEST * len(guests)))
    best, best_cost = None, None
    for _ in range(RESTARTS):
        placement, cost = search.run(steps, deadline)
        if best_cost is None or cost < best_cost:
            best, best_cost = placement, cost
        if best_cost == search.bound or time.perf_counter() > deadline:
            break
    seats = {guest: tables[best[i]] for i, guest in enumerate(guests)}
    everyone = {**fixed, **seats}
    return Proposal(seats, *count_repeats(history, everyone, hosted), *count_needs_met(everyone, needs, coverage))


class _Search:
    """One seating problem in indices: guests are 0..n-1, fixed people follow; tables 0..T-1."""

    def __init__(self, history, guests, tables, hosted, fixed, rng, needs, coverage):
        self.rng = rng
        self.n = n = len(guests)
        people = guests + list(fixed)
        index = {person: i for i, person in enumerate(people)}
        table_index = {table: k for k, table in enumerate(tables)}
        self.T = len(tables)
        self.fixed_at = [table_index[table] for table in fixed.values()]
        self.met = [set() for _ in people]
        visited = [set() for _ in range(n)]
        for earlier in history:
            for table, members in _by_table(earlier).items():
                members = [index[p] for p in members if p in index]
                for i in members:
                    self.met[i].update(members)
                    if i < n and table in table_index:
                        visited[i].add(table_index[table])
        for i, companions in enumerate(self.met):
            companions.discard(i)
        # Meeting people again outweighs every revisit together; revisiting a hosted table is both.
        self.weight = weight = n + 1
        hosted_index = {table_index[t] for t in hosted if t in table_index}
        self.own = [[(weight + 1 if k in hosted_index else 1) if k in visited[i] else 0
                     for k in range(self.T)] for i in range(n)]
        self.priority = self._add_needs(guests, tables, needs, coverage)
        # No seating costs less than every guest at their cheapest table; reaching that ends the search.
        self.least_own = [min(row) for row in self.own]
        self.bound = sum(self.least_own)
        self.base = [0] * self.T  # hosts and fixed people, who count towards a table's size
        for k in hosted_index:
            self.base[k] += 1
        for k in self.fixed_at:
            self.base[k] += 1
        self.level, self.top = _water_level(self.base, n)

    def _add_needs(self, guests, tables, needs, coverage) -> list[int]:
        """Make a table without a guest's needed language cost more than all repeats and revisits of
        any seating; the guests' order of placing (fewest tables with their language first)."""
        covering = {}
        for i, guest in enumerate(guests):
            language = needs.get(guest)
            if language:
                covering[i] = [language in coverage.get(table, ()) for table in tables]
        # The most any seating can cost without needs: every companion met again, the worst table.
        miss = 1 + sum(self.weight * len(self.met[i]) + max(self.own[i]) for i in range(self.n))
        priority = [0] * self.n
        for i, covers in covering.items():
            if any(covers):
                priority[i] = self.T + 1 - sum(covers)
                self.own[i] = [cost if covers[k] else cost + miss for k, cost in enumerate(self.own[i])]
        return priority

    def run(self, steps: int, deadline: float) -> tuple[list[int], int]:
        """One greedy start and its tabu search; the best placement found and its cost."""
        self._construct()
        best, best_cost = list(self.at), self.cost
        tabu_until = [0] * self.n
        for step in range(steps):
            if best_cost == self.bound or (step % 64 == 0 and time.perf_counter() > deadline):
                break
            if not self._step(step, tabu_until, best_cost):
                break
            if self.cost < best_cost:
                best, best_cost = list(self.at), self.cost
        return best, best_cost

    def _construct(self):
        n, T, rng = self.n, self.T, self.rng
        self.count = [[0] * T for _ in range(n)]  # count[i][k]: people at table k whom guest i met
        self.size = list(self.base)
        self.members = [[] for _ in range(T)]
        self.at = [-1] * n
        for person, k in enumerate(self.fixed_at, start=n):
            self._arrive(person, k)
        at_top = sum(1 for s in self.size if s == self.level + 1)
        order = sorted(range(n), key=lambda i: (-self.priority[i], -len(self.met[i]), rng.random()))
        for i in order:
            best_k, best_key = None, None
            for k in range(T):
                s = self.size[k]
                if not (s < self.level or (s == self.level and at_top < self.top)):
                    continue
                key = (self.weight * self.count[i][k] + self.own[i][k], s, rng.random())
                if best_key is None or key < best_key:
                    best_k, best_key = k, key
            self._arrive(i, best_k)
            if self.size[best_k] == self.level + 1:
                at_top += 1
        self.cost = sum(self.weight * self.count[i][self.at[i]] + self.own[i][self.at[i]]
                        for i in range(n)) - self.weight * self._guest_pairs()
    def _guest_pairs(self) -> int:
        # Pairs of two guests appear in both guests' counts; subtract one of the two.
        return sum(1 for i in range(self.n) for j in self.met[i]
                   if j < self.n and i < j and self.at[i] == self.at[j])

    def _arrive(self, person, k):
        if person < self.n:  # fixed people are in `base` already
            self.at[person] = k
            self.members[k].append(person)
            self.size[k] += 1
        count = self.count
        for j in self.met[person]:
            if j < self.n:
                count[j][k] += 1

    def _move(self, i, a, b):
        self.at[i] = b
        self.members[a].remove(i)
        self.members[b].append(i)
        self.size[a] -= 1
        self.size[b] += 1
        count = self.count
        for j in self.met[i]:
            if j < self.n:
                count[j][a] -= 1
                count[j][b] += 1

    def _step(self, step, tabu_until, best_cost) -> bool:
        """Move or swap one conflicted guest in the best way not tabu; False when nobody conflicts."""
        n, weight, count, own, at, size = self.n, self.weight, self.count, self.own, self.at, self.size
        conflicted = [i for i in range(n) if count[i][at[i]] or own[i][at[i]] > self.least_own[i]]
        if not conflicted:
            return False
        rng = self.rng
        i = rng.choice([i for i in conflicted if tabu_until[i] <= step] or conflicted)
        a = at[i]
        count_i, own_i, met_i = count[i], own[i], self.met[i]
        here = weight * count_i[a] + own_i[a]
        i_tabu = tabu_until[i] > step
        aspiration = best_cost - self.cost  # a tabu step is still taken when it beats the best
        best_delta, choices = None, []
        for b in range(self.T):
            if b == a:
                continue
            there = weight * count_i[b] + own_i[b]
            if size[a] == size[b] + 1:
                delta = there - here
                if not (i_tabu and delta >= aspiration):
                    if best_delta is None or delta < best_delta:
                        best_delta, choices = delta, [(None, b)]
                    elif delta == best_delta:
                        choices.append((None, b))
            for j in self.members[b]:
                count_j, own_j = count[j], own[j]
                delta = (there - here + weight * (count_j[a] - count_j[b]) + own_j[a] - own_j[b]
                         - (2 * weight if j in met_i else 0))
                if best_delta is not None and delta > best_delta:
                    continue
                if (i_tabu or tabu_until[j] > step) and delta >= aspiration:
                    continue
                if best_delta is None or delta < best_delta:
                    best_delta, choices = delta, [(j, b)]
                else:
                    choices.append((j, b))
        if not choices:
            return True  # everything is tabu for this guest; another one next step
        j, b = rng.choice(choices)
        tenure = 3 + rng.randrange(max(2, n // 10))
        self._move(i, a, b)
        tabu_until[i] = step + tenure
        if j is not None:
            self._move(j, b, a)
            tabu_until[j] = step + tenure
        self.cost += best_delta
        return True


def _water_level(base: list[int], n: int) -> tuple[int, int]:
    """Fill `n` guests into the emptiest tables one by one: the lowest size and how many end one above.

    Tables already fuller than that (many fixed people) get nobody.
    """
    heap = [(s, k) for k, s in enumerate(base)]
    heapq.heapify(heap)
    for _ in range(n):
        s, k = heapq.heappop(heap)
        heapq.heappush(heap, (s + 1, k))
    sizes = [s for s, _ in heap]
    level = min(sizes)
    return level, sum(1 for s in sizes if s == level + 1)
