"""What bench/load.py prints: latencies per kind of request, errors, round changes, ideas, live state,
CPU of the generator, the app and the machine, and the targets of issue 14."""
import os
import resource
from collections import Counter

import numpy as np

import load_setup

POLLS = ("phone poll",)
POSTS = ("idea post", "dot post", "host capture", "join post")
TARGET_MS, BREAK_MS, ROUND_SECONDS = 150, 500, 4.0


def steady(state: dict) -> dict:
    """A live state without what moves by itself (the clock), to compare two polls."""
    state = {k: v for k, v in state.items() if k != "server_time"}
    if isinstance(state.get("round"), dict):
        state["round"] = {k: v for k, v in state["round"].items() if k not in ("seconds_left", "time_up")}
    return state


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Report:
    def __init__(self, run, args, seeded, servers, load_before):
        self.run, self.args, self.seeded, self.servers = run, args, seeded, servers
        self.load_before = load_before
        self.app_pids = [pid for server in servers for pid in server.pids()]
        self.start = self.stop = self.cpu_start = self.cpu_end = None
        self.crossed = self.last_good = None

    def cpu(self) -> tuple:
        return own_cpu(), load_setup.cpu_seconds(self.app_pids), load_setup.machine_busy_seconds()

    def begin(self, moment: float) -> None:
        self.start, self.cpu_start = moment, self.cpu()

    def end(self, moment: float) -> None:
        self.stop, self.cpu_end = moment, self.cpu()

    def window(self, prefixes, start, stop, exact=False) -> np.ndarray:
        """Durations of requests that ended between start and stop, of kinds named by their prefixes
        (or, `exact`, by their whole names)."""
        stats, parts = self.run.stats, []
        for kind in stats.times:
            if (kind in prefixes) if exact else kind.startswith(prefixes):
                ends = np.frombuffer(stats.ends[kind])
                parts.append(np.frombuffer(stats.times[kind])[(ends >= start) & (ends <= stop)])
        return np.concatenate(parts) if parts else np.array([])

    @staticmethod
    def ms(times, q) -> float:
        return float(np.percentile(times, q) * 1000) if len(times) else float("nan")

    def ramp_step(self, phones: int, start: float, stop: float) -> bool:
        """One step of the ramp; False once phone polls pass 500 ms at p95."""
        polls, posts = self.window(POLLS, start, stop), self.window(POSTS, start, stop)
        total = len(self.window(tuple(self.run.stats.times), start, stop, exact=True))
        errors = sum(self.run.stats.errors.values())
        poll95 = self.ms(polls, 95)
        print(f"ramp {phones:5d} phones: {total / (stop - start):6.0f} req/s  polls p50 {self.ms(polls, 50):6.0f} "
              f"p95 {poll95:6.0f} p99 {self.ms(polls, 99):6.0f} ms  posts p95 {self.ms(posts, 95):6.0f} ms "
              f"(n {len(posts)})  errors so far {errors}  load {os.getloadavg()[0]:.2f}", flush=True)
        self.end(stop)
        if poll95 <= TARGET_MS and self.ms(posts, 95) <= TARGET_MS and not errors:
            self.last_good = phones
        if poll95 > BREAK_MS:
            self.crossed = phones
            return False
        return True

    def print(self, check: dict) -> None:
        run, args, seeded = self.run, self.args, self.seeded
        start, stop = self.start, self.stop or self.start
        database = load_setup.urlsplit(args.database).scheme if args.database else "sqlite"
        print(f"\nload {args.phones} phones, {seeded['tables']} tables with a host each, a moderator and a "
              f"projector on {database}; {args.instances} instance(s) x {args.workers} workers x 4 threads; "
              f"{'ramp by ' + str(args.ramp) if args.ramp else f'{args.seconds:.0f} s'}; "
              f"load average before {self.load_before[0]:.2f}")
        print("gunicorn " + " ".join(self.servers[0].arguments) + " (the Makefile's serve target)")
        seconds = stop - start
        count = len(self.window(tuple(run.stats.times), start, stop, exact=True))
        print(f"requests {count} in {seconds:.0f} s: {count / seconds:.0f} per second")
        print(f"{'kind':22s} {'count':>7s} {'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s} {'max ms':>7s}  statuses (whole run)")
        for kind in sorted(run.stats.times):
            times = self.window((kind,), start, stop, exact=True)
            if len(times):
                statuses = ", ".join(f"{s}: {n}" for s, n in run.stats.statuses[kind].most_common())
                print(f"{kind:22s} {len(times):7d} {self.ms(times, 50):7.0f} {self.ms(times, 95):7.0f} "
                      f"{self.ms(times, 99):7.0f} {times.max() * 1000:7.0f}  {statuses}")
        self._phases(stop)
        errors = sum(run.stats.errors.values())
        detail = ", ".join(f"{kind} {status}: {n}" for (kind, status), n in run.stats.errors.most_common(8))
        print(f"errors {errors}" + (f" ({detail})" if detail else "") +
              f"; requests sent again on a new connection after a kept-alive one closed: {run.reconnects}")

        late = self._round_changes(check)
        lost, doubled = self._ideas(check)
        print(f"live state at the end: {check['on_database']} of {check['joined']} phones show the database's "
              f"round and vote, {check['same_as_fresh']} equal a fresh poll, {check['on_revision']} carry the "
              f"event's revision {check['database']['revision']}")
        if check["differences"]:
            print(f"  where phones differ from a fresh poll: {check['differences']}")
            for page, last, fresh in check["samples"]:
                print(f"  e.g. a phone on its {page} page showed {last}\n    a fresh poll gives {fresh}")
        if self.cpu_end and self.cpu_start:
            own, app, busy = (b - a for a, b in zip(self.cpu_start, self.cpu_end))
            print(f"CPU over {seconds:.0f} s: generator {own:.0f} s ({own / seconds:.0%} of a core), app "
                  f"{app:.0f} s ({app / seconds:.0%}), machine busy {busy / seconds / os.cpu_count():.0%} of "
                  f"{os.cpu_count()} cores; load average after {os.getloadavg()[0]:.2f}")
        lag = np.frombuffer(run.loop_lag) * 1000 if len(run.loop_lag) else np.zeros(1)
        print(f"generator timers late by p50 {np.percentile(lag, 50):.0f} ms, p99 {np.percentile(lag, 99):.0f} ms, "
              f"max {lag.max():.0f} ms (when this grows, the figures above measure the generator too)")
        if args.ramp:
            print(f"ramp: phone polls pass {BREAK_MS} ms at p95 at "
                  f"{self.crossed or f'more than {args.phones}'} phones; "
                  f"targets met up to {self.last_good or 'no step'}")
            return
        polls, posts = self.window(POLLS, start, stop), self.window(POSTS, start, stop)
        consistent = check["on_database"] == check["same_as_fresh"] == check["joined"]
        met = {f"polls p95 {self.ms(polls, 95):.0f} ms < {TARGET_MS}": self.ms(polls, 95) < TARGET_MS,
               f"posts p95 {self.ms(posts, 95):.0f} ms < {TARGET_MS}": self.ms(posts, 95) < TARGET_MS,
               f"errors {errors}": errors == 0, f"lost {lost} doubled {doubled}": lost == doubled == 0,
               f"round changes within {ROUND_SECONDS:.0f} s": not late, "live state consistent": consistent}
        print("targets: " + "; ".join(f"{text} {'ok' if ok else 'MISSED'}" for text, ok in met.items()))

    def timeline(self, every: float) -> None:
        """Per window of `every` seconds: requests a second, polls p50/p95, posts p95, the busiest kinds."""
        stats, moment = self.run.stats, self.start
        while moment < self.stop:
            until = moment + every
            counts = Counter({kind: int(((np.frombuffer(stats.ends[kind]) >= moment)
                                         & (np.frombuffer(stats.ends[kind]) < until)).sum()) for kind in stats.ends})
            polls, posts = self.window(POLLS, moment, until), self.window(POSTS, moment, until)
            busiest = ", ".join(f"{kind} {n}" for kind, n in counts.most_common(4) if n)
            print(f"  {moment - self.start:5.0f} s {sum(counts.values()) / every:5.0f} req/s  polls p50 "
                  f"{self.ms(polls, 50):6.0f} p95 {self.ms(polls, 95):6.0f} ms  posts p95 {self.ms(posts, 95):6.0f} ms"
                  f"  {self._cpu_between(moment, until)}  {busiest}")
            moment = until

    def _cpu_between(self, start: float, stop: float) -> str:
        """App and machine CPU between two moments, from the run's samples (one a second)."""
        inside = [sample for sample in self.run.cpu_samples if start <= sample[0] <= stop]
        if len(inside) < 2:
            return ""
        (t0, _g0, app0, busy0), (t1, _g1, app1, busy1) = inside[0], inside[-1]
        return f"app {(app1 - app0) / (t1 - t0):4.0%} machine {(busy1 - busy0) / (t1 - t0) / os.cpu_count():4.0%}"

    def _phases(self, stop: float) -> None:
        """Polls and posts per part of the café: arrivals, each round (from its POST on), the vote."""
        watches = sorted((w.sent, name) for name, w in self.run.watches.items())
        if not watches or self.args.ramp:
            return
        labels = {"round 1 started": "round 1", "round 2 started": "round 2 (everyone moves)",
                  "round 2 closed": "vote"}
        bounds = [(self.start, "arrivals")] + [(sent, labels[name]) for sent, name in watches if name in labels]
        bounds.append((stop, ""))
        parts = []
        for (a, name), (b, _next) in zip(bounds, bounds[1:]):
            if b > a:
                polls, posts = self.window(POLLS, a, b), self.window(POSTS, a, b)
                parts.append(f"{name} ({b - a:.0f} s) polls p95 {self.ms(polls, 95):.0f} ms, posts p95 "
                             f"{self.ms(posts, 95):.0f} ms")
        print("by part: " + "; ".join(parts))

    def _round_changes(self, check) -> list:
        late = []
        for name, watch in self.run.watches.items():
            lags = [phone.seen[name] - watch.sent for phone in self.phones_before(watch.sent) if name in phone.seen]
            eligible = len(self.phones_before(watch.sent))
            if not eligible:
                continue  # a ramp starts its round before the first phone arrives
            worst = max(lags) if lags else float("nan")
            print(f"{name}: every phone saw it {worst:.2f} s after the moderator's POST was sent "
                  f"(the POST took {watch.post_seconds:.2f} s; median phone {np.median(lags) if lags else float('nan'):.2f} s; "
                  f"{len(lags)} of {eligible} phones)")
            if not lags or worst > ROUND_SECONDS or len(lags) < eligible:
                late.append(name)
        return late

    def phones_before(self, moment: float) -> list:
        return [p for p in self.run.phones if p.joined_at is not None and p.joined_at < moment]

    def _ideas(self, check) -> tuple[int, int]:
        tag = f"[{self.run.tag} "
        stored = [(key, text) for key, text in check["database"]["ideas"] if text.startswith(tag)]
        texts = Counter(text for _key, text in stored)
        keys = {key for key, _text in stored}
        acked = self.run.acked
        lost = sum(1 for key, text in acked.items() if key not in keys or text not in texts)
        doubled = sum(n - 1 for n in texts.values() if n > 1)
        unacked = sum(1 for key, _text in stored if key not in acked)
        phones = sum(1 for text in acked.values() if " p" in text.split("]")[0])
        print(f"ideas acknowledged {len(acked)} (phones {phones}, host lines {len(acked) - phones}); "
              f"in the database {len(stored)}: lost {lost} doubled {doubled}; stored without an answer "
              f"{unacked}; still in outboxes {check['pending']}; dots in the database {check['database']['votes']}")
        return lost, doubled
