"""Code run in a fresh Python process, with what it cost: peak memory and time.

Bounds on memory are only meaningful in a process of their own: the test process has
imported everything and may hold garbage. The child reports its own peak resident set size
(and its children's, e.g. parsing workers) when it exits, however it exits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MARK = "MEASURED peak_kb="
# VmHWM (the peak resident set of this process image) rather than ru_maxrss, which Linux
# carries over from the forked parent across exec. Children's figure is ru_maxrss, so an
# upper bound: it may include the size of the process that forked them.
PRELUDE = f"""
import atexit, resource, sys
def _report():
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write("\\n{MARK}%d children_kb=%d\\n" % (own, kids))
atexit.register(_report)
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the process itself
    children_peak_mb: float  # at most the largest of its child processes (see PRELUDE)


def run_measured(code: str, *args: str, timeout: float = 120) -> Measured:
    """Run `code` (with `args` as sys.argv[1:]) in a new interpreter and measure it."""
    paths = [str(ROOT), str(ROOT / "tools"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
    seconds = time.monotonic() - started
    own = kids = float("nan")
    stderr = done.stderr
    if MARK in stderr:
        stderr, _, line = stderr.rpartition(MARK)
        own_kb, kids_kb = line.split()[0], line.split("=")[-1]
        own, kids = int(own_kb) / 1024, int(kids_kb) / 1024
    return Measured(done.returncode, done.stdout, stderr, seconds, own, kids)


NIANBAO = "from pipeline.cli import run; sys.argv[0] = 'nianbao'; run()"
