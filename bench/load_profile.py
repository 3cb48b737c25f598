"""`bench/load.py --profile FILE`: py-spy samples every gunicorn worker over the measured window; the
summary names where the workers spent their time (own time of the innermost frame, and the app's
functions including what they call). FILE keeps the collapsed stacks, e.g. for a flame graph."""
import subprocess
from collections import Counter
from pathlib import Path

from load_setup import BIN, ROOT


# Innermost frames of a thread waiting for work: gthread's poller and its pool's idle threads.
IDLE = ("EpollSelector.select (", "_worker (concurrent/futures/thread.py")


class Profiler:
    def __init__(self, path: str, master_pid: int):
        self.path, self.master_pid, self.proc = Path(path).resolve(), master_pid, None

    def start(self, seconds: float) -> None:
        self.proc = subprocess.Popen(
            [str(BIN / "py-spy"), "record", "--pid", str(self.master_pid), "--subprocesses", "--rate", "50",
             "--duration", str(max(1, int(seconds))), "--format", "raw", "--output", str(self.path),
             "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def summary(self, top: int = 12) -> str:
        if self.proc is None:
            return ""
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if not self.path.exists():
            return f"profile: py-spy wrote nothing ({self.proc.stderr.read().decode()[-300:]})"
        own, inclusive, total, idle = Counter(), Counter(), 0, 0
        for line in self.path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            count = int(count)
            frames = [f for f in stack.split(";") if not f.startswith("process ")]
            if not frames:
                continue
            leaf = _short(frames[-1])
            if leaf.startswith(IDLE):
                idle += count
                continue
            total += count
            own[leaf] += count
            for name in {_short(f) for f in frames if " (app/" in f}:
                inclusive[name] += count
        if not total:
            return "profile: no samples"
        lines = [f"profile of the worker threads: {total} busy samples at 50 Hz ({idle} more waiting for work), "
                 f"collapsed stacks in {self.path}", "  own time, innermost frame:"]
        lines += [f"    {n / total:5.1%}  {name}" for name, n in own.most_common(top)]
        lines.append("  app functions, with what they call:")
        lines += [f"    {n / total:5.1%}  {name}" for name, n in inclusive.most_common(top)]
        return "\n".join(lines)


def _short(frame: str) -> str:
    """'render (jinja2/environment.py:1295)' from 'render (/…/site-packages/jinja2/environment.py:1295)'."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3.11/"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{name} ({where.rsplit(':', 1)[0]})"
