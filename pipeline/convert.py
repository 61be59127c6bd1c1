"""Legacy office files (.doc, .wps, .xls, RTF) converted by LibreOffice before parsing.

Runs `soffice --headless --convert-to docx|xlsx` as a subprocess in the worker, with a private
temporary profile directory (concurrent conversions never share one), a time limit inside
the document's budget and the worker's memory limit (inherited). Where LibreOffice is not
installed, the document fails with that reason and the command that installs it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from parsers.errors import NianbaoError

INSTALL = "apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui"
# What each legacy kind becomes, and the name its bytes are handed to LibreOffice under.
TARGETS = {"doc": ("docx", ".doc"), "xls": ("xlsx", ".xls")}
# A WPS Writer file whose compound file holds this stream is binary Word under another name.
_WORD_STREAM = "WordDocument".encode("utf-16-le")


class ConversionError(NianbaoError):
    """A legacy office file could not be converted (LibreOffice missing, failed or too slow)."""


@dataclass(frozen=True)
class ConvertSettings:
    """Where LibreOffice is and how long one conversion may take."""

    soffice: str = "soffice"
    timeout_s: float = 90.0

    def __post_init__(self) -> None:
        if self.timeout_s <= 0:
            raise ValueError("ConvertSettings.timeout_s must be positive")


def convert_legacy(data: bytes, kind: str, name: str, settings: ConvertSettings) -> bytes:
    """The .docx (for `doc`) or .xlsx (for `xls`) bytes of a legacy office file."""
    target, ext = TARGETS[kind]
    if kind == "doc" and Path(name).suffix.lower() == ".wps" and _WORD_STREAM not in data:
        ext = ".wps"  # a Works/WPS file of its own format: let LibreOffice's filter decide
    soffice = shutil.which(settings.soffice)
    if soffice is None:
        raise ConversionError(
            f"cannot read a legacy {ext} file: LibreOffice is not installed "
            f"(install it with: {INSTALL})"
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-convert-") as tmp:
        work = Path(tmp)
        source = work / f"document{ext}"
        source.write_bytes(data)
        out = work / "out"
        cmd = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        _run(cmd, settings.timeout_s, ext, work)
        result = out / f"document.{target}"
        if not result.exists() or result.stat().st_size == 0:
            raise ConversionError(
                f"LibreOffice could not convert this {ext} file to .{target} "
                "(damaged, password-protected, or not an office document)"
            )
        return result.read_bytes()


def _run(cmd: list[str], timeout_s: float, ext: str, home: Path) -> None:
    """Run LibreOffice in its own process group; the whole group is killed on time-out."""
    env = dict(os.environ, HOME=str(home))
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    try:
        _, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        raise ConversionError(
            f"LibreOffice took longer than {timeout_s:g} s to convert this {ext} file"
        ) from None
    except BaseException:
        _kill(proc)
        proc.wait()
        raise
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise ConversionError(
            f"LibreOffice failed to convert this {ext} file (exit {proc.returncode}: {tail[0]})"
        )


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
