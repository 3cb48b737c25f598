"""A worker's memory for huge pictures: with the pixel limit, and with Pillow's own limit, in one run.

Run from the project root: `.venv/bin/python bench/uploads.py`. Everything happens on a free
loopback port and in a temporary folder, removed afterwards:

- a temporary SQLite database with a seeded event (bench/load_setup.py), served by gunicorn as
  `make serve` starts it, with one worker (and its 4 threads, so four uploads at once share it);
- the pictures are made here: a blank 9,400 × 9,400 PNG (88 Mpx in about 260 KB, just under
  Pillow's default bomb limit of 89 Mpx, as in issue 16) and a 12-Mpx JPEG with noise, as a phone
  sends (a few MB);
- for each setting (MAX_UPLOAD_PIXELS as configured, then raised to Pillow's default through the
  environment) and each case (the JPEG, one 88-Mpx PNG, four 88-Mpx PNGs at once), a fresh
  gunicorn; a host uploads through the host link, and the worker's peak resident memory (VmHWM
  in /proc) is read before and after.

It prints one line per case: the answers, the worker's peak memory at rest and after the upload,
and how long it took. Each upload is given at most --timeout seconds.
"""
import argparse
import html
import http.client
import io
import re
import secrets
import shutil
import struct
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_setup import Server, app_env, children, in_app, migrate, throwaway_database  # noqa: E402

PILLOW_DEFAULT = 89_478_485  # Image.MAX_IMAGE_PIXELS as Pillow ships it


def blank_png(width: int, height: int) -> bytes:
    """A black RGB PNG written row by row, so the pixels are never held in memory here."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 3)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def phone_jpeg(width: int = 4000, height: int = 3000) -> bytes:
    """A 12-Mpx JPEG with detail (noise), about the size a phone sends."""
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


class Host:
    """The host of one table on its host link: the session cookie and the CSRF token of its page."""

    def __init__(self, base: str, token: str, timeout: float):
        self.host, self.port = base.removeprefix("http://").split(":")
        self.path, self.timeout = f"/h/{token}", timeout
        connection = self._connection()
        connection.request("GET", self.path)
        response = connection.getresponse()
        page = response.read().decode()
        if response.status != 200:
            sys.exit(f"host page answered {response.status}")
        self.cookie = "; ".join(value.split(";", 1)[0] for key, value in response.getheaders()
                                if key.lower() == "set-cookie")
        self.csrf = html.unescape(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1))

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, int(self.port), timeout=self.timeout)

    def upload(self, data: bytes, filename: str) -> int | str:
        boundary = secrets.token_hex(12)
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.csrf}\r\n'.encode(),
                 f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="{filename}"\r\n'
                 f'Content-Type: application/octet-stream\r\n\r\n'.encode(), data,
                 f'\r\n--{boundary}--\r\n'.encode()]
        connection = self._connection()
        try:
            connection.request("POST", self.path + "/photos", body=b"".join(parts), headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": self.cookie})
            response = connection.getresponse()
            response.read()
            return response.status
        except OSError as error:
            return type(error).__name__


def run_case(env: dict, workdir: Path, token: str, data: bytes, filename: str, copies: int,
             timeout: float) -> dict:
    """A fresh gunicorn with one worker; `copies` uploads of `data` at once; the worker's peaks."""
    server = Server(env, 1, workdir, [])
    try:
        server.wait_ready()
        [worker] = children(server.proc.pid)
        host = Host(server.base, token, timeout)
        before = peak_rss_mb(worker)
        answers: list = [None] * copies

        def send(index: int) -> None:
            answers[index] = host.upload(data, filename)

        started = time.monotonic()
        threads = [threading.Thread(target=send, args=(index,)) for index in range(copies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout + 5)
        seconds = time.monotonic() - started
        return {"answers": answers, "before": before, "after": peak_rss_mb(worker), "seconds": seconds}
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120, help="seconds each upload may take")
    args = parser.parse_args()
    bomb, jpeg = blank_png(9400, 9400), phone_jpeg()
    cases = [("12-Mpx JPEG", jpeg, "IMG_0001.jpg", 1), ("88-Mpx PNG", bomb, "tischtuch.png", 1),
             ("88-Mpx PNG, 4 at once", bomb, "tischtuch.png", 4)]
    print(f"pictures: 88-Mpx PNG {len(bomb) / 1024:.0f} KB, 12-Mpx JPEG {len(jpeg) / 1024 / 1024:.1f} MB; "
          "one gunicorn worker with 4 threads, a fresh one per line")
    workdir = Path(tempfile.mkdtemp(prefix="uploadbench-"))
    try:
        with throwaway_database(None, workdir) as url:
            env = app_env(url, secrets.token_hex(32))
            env.pop("MAX_UPLOAD_PIXELS", None)
            migrate(env)
            seeded = in_app("seed", env, "2")
            settings = [("MAX_UPLOAD_PIXELS as configured", {}),
                        (f"MAX_UPLOAD_PIXELS={PILLOW_DEFAULT} (Pillow's default)",
                         {"MAX_UPLOAD_PIXELS": str(PILLOW_DEFAULT)})]
            print(f"{'setting':<48} {'case':<24} {'answers':<22} {'peak at rest':>12} {'peak after':>11} {'time':>7}")
            for label, extra in settings:
                for name, data, filename, copies in cases:
                    result = run_case({**env, **extra}, workdir, seeded["hosts"][0], data, filename, copies,
                                      args.timeout)
                    answers = " ".join(str(answer) for answer in result["answers"])
                    print(f"{label:<48} {name:<24} {answers:<22} {result['before']:>9.0f} MB "
                          f"{result['after']:>8.0f} MB {result['seconds']:>6.1f}s", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
