"""Every environment variable the build and the tools read, checked before they start: one line per bad value.

    python -m macros.environment          # exit 2 and one line per bad variable; nothing printed when all are fine

A value is an input like the data: `SITE_URL` ends up in attributes and scripts of every page, so it is held to a
strict URL shape instead of being escaped wherever it lands. README "Environment variables" lists the same table.
"""
from __future__ import annotations

import datetime
import math
import os
import re
import sys
from pathlib import Path

from .messages import say  # standard library only, like this module

LANGUAGES = ("fr", "en")
# An http(s) address of a host, an optional port and a plain path: no quotes, spaces, angle brackets, backslashes,
# query or fragment, so it is safe in any attribute, URL or script it is written into.
_SITE_URL = re.compile(r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:/(?:[A-Za-z0-9._~+,=:@-]|%[0-9A-Fa-f]{2})*)*")
MAX_TIMEOUT_S = 86_400
MAX_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z


def _site_url(value: str) -> str | None:
    if not _SITE_URL.fullmatch(value):
        return say("env_site_url")
    return None


def _data(value: str) -> str | None:
    path = Path(value)
    if not path.is_file():
        return say("env_data_file")
    if path.suffix not in (".yaml", ".yml"):
        return say("env_data_yaml")
    return None


def _timeout(value: str) -> str | None:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT_S):
        return say("env_timeout", limit=MAX_TIMEOUT_S)  # no thousands separator: 86,400 reads as 86.4 in French
    return None


def _language(value: str) -> str | None:
    return None if value in LANGUAGES else say("env_language", languages=", ".join(LANGUAGES))


def _flag(value: str) -> str | None:
    return None if value.lower() in ("true", "false") else say("env_flag")


def _epoch(value: str) -> str | None:
    if not (value.isascii() and value.isdigit() and int(value) <= MAX_EPOCH):
        return say("env_epoch")
    return None


def _today(value: str) -> str | None:
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            datetime.date.fromisoformat(value)
            return None
    except ValueError:
        pass
    return say("env_today")


def _folder(value: str) -> str | None:
    path = Path(value)
    if "\0" in value or (path.exists() and not path.is_dir()):
        return say("env_folder")
    return None


def _serve(value: str) -> str | None:
    return None if value == "1" else say("env_serve")


# name -> (check, what it does). Empty values mean "not set" (Make passes unset variables as empty).
def _executable(value: str) -> str | None:
    import shutil
    return None if shutil.which(value) else say("env_executable")


def _existing_folder(value: str) -> str | None:
    return None if os.path.isdir(value) else say("env_existing_folder")


def _install(value: str) -> str | None:
    return None if value.lower() in ("auto", "never") else say("env_install")


def _messages(value: str) -> str | None:
    return None if value.lower() in LANGUAGES else say("env_messages", languages=", ".join(LANGUAGES))


def _prefix(value: str) -> str | None:
    ok = re.fullmatch(r"revisions/[0-9A-Za-z][0-9A-Za-z._-]*", value)
    return None if ok else say("env_prefix")


VARIABLES = {
    "SITE_URL": (_site_url, "the site's public address (the Pages workflow sets it)"),
    "SIP_DATA": (_data, "the data file to build or check instead of data/sip.yaml"),
    "SIP_BUILD_TIMEOUT": (_timeout, "the build's time limit in seconds (default 600)"),
    "SIP_LANGUAGE": (_language, "build one language only (set by scripts/build.py)"),
    "SIP_OFFLINE": (_flag, "build the offline variant (set by scripts/build.py)"),
    "SOURCE_DATE_EPOCH": (_epoch, "fixes the build time written in the downloads (reproducible builds)"),
    "SIP_TODAY": (_today, "fixes today's date (tests, rebuilding an old release)"),
    "SIP_REPORT_KIT_DIR": (_folder, "where make report-kit writes the workbooks (default dist/report-kit)"),
    "SIP_SERVE": (_serve, "set by make serve: data errors are shown on the pages instead of stopping"),
    "SIP_LANG": (_messages, "the language of the tools' messages (default French; LANG=en_* works too)"),
    "SIP_INSTALL": (_install, "make setup: auto installs missing system programs where allowed, never only names them"),
    "CHROMIUM": (_executable, "the Chromium or Chrome executable for the PDFs and browser tests"),
    "PLAYWRIGHT_BROWSERS_PATH": (_existing_folder, "where Playwright keeps the browsers it downloaded (searched for Chromium)"),
    "SIP_REVISION_PREFIX": (_prefix, "set by scripts/frozen.py: the frozen revision's prefix"),
    "SIP_CURRENT_DATA": (_data, "set by scripts/frozen.py: the current data file, for a frozen revision's banner"),
    "SIP_TIMELINE": (_folder, "set by scripts/build.py: where each MkDocs process records its phases"),
}


# Values that are local file paths: they name files to read or write and are never published.
PATHS = frozenset({"SIP_DATA", "SIP_REPORT_KIT_DIR", "SIP_TIMELINE"})


def problems(environ=None) -> list[str]:
    """One line per variable whose value is refused: `SITE_URL='"><img>': must be ...`."""
    environ = os.environ if environ is None else environ
    found = []
    for name, (check, _) in VARIABLES.items():
        value = environ.get(name, "")
        if value == "":
            continue
        message = check(value)
        if message:
            shown = value if len(value) <= 80 else value[:79] + "…"
            found.append(say("env_problem", variable=f"{name}={shown!r}", problem=message))
    return found


def require(environ=None) -> None:
    """Exit with status 2 and one line per refused variable, before anything else runs."""
    found = problems(environ)
    if found:
        for line in found:
            print(say("env_line", line=line), file=sys.stderr)
        raise SystemExit(2)


if __name__ == "__main__":
    require()
