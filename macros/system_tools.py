"""The programs outside Python that the build and the tests need: found, installed with apt-get, or named."""
from __future__ import annotations

# Standard library only: `make setup` runs this with the system's python3, before the venv exists.
import glob
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .messages import say  # the catalog is read with the standard library too

INSTALL_VAR = "SIP_INSTALL"        # auto (default): install what is missing when allowed; never: only say it
CHROMIUM_VAR = "CHROMIUM"          # a Chromium or Chrome executable to use instead of the one found
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@dataclass(frozen=True)
class Tool:
    name: str                      # a program's name, or the catalog key of a description ("a Java runtime")
    needed_for: str                # the catalog key of what it is needed for
    debian: str                    # the Debian/Ubuntu package
    brew: str                      # the Homebrew install command
    commands: tuple[str, ...]      # any one of them on PATH is enough

    def label(self) -> str:
        return say(self.name) if self.name.startswith("tool_") else self.name

    def found(self) -> str | None:
        if self.name == "Chromium":
            return find_chromium()
        return next((path for path in map(shutil.which, self.commands) if path), None)


CHROMIUM = Tool("Chromium", "tool_chromium_for", "chromium", "brew install --cask chromium",
                CHROMIUM_NAMES)
NODE = Tool("tool_node", "tool_node_for", "npm", "brew install node", ("npm",))
POPPLER = Tool("poppler", "tool_poppler_for", "poppler-utils", "brew install poppler",
               ("pdftotext",))
JAVA = Tool("tool_java", "tool_java_for", "default-jre-headless",
            "brew install openjdk", ("java",))
CALC = Tool("LibreOffice Calc", "tool_calc_for", "libreoffice-calc-nogui",
            "brew install --cask libreoffice", ("soffice", "libreoffice", "localc"))

NEEDS = {"build": (NODE, CHROMIUM), "test": (NODE, CHROMIUM, POPPLER, JAVA, CALC), "site": (NODE,)}


class ChromiumNotFound(Exception):
    pass


def playwright_browsers() -> list[str]:
    """Chromium builds that `playwright install chromium` downloaded (newest first), on Linux and macOS."""
    roots = [os.environ.get("PLAYWRIGHT_BROWSERS_PATH", ""), "~/.cache/ms-playwright", "~/Library/Caches/ms-playwright"]
    patterns = ("chromium-*/chrome-linux*/chrome", "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
                "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing")
    found = []
    for root in filter(None, roots):
        for pattern in patterns:
            found += glob.glob(os.path.join(os.path.expanduser(root), pattern))
    return sorted((path for path in found if os.access(path, os.X_OK)), reverse=True)


def find_chromium() -> str | None:
    """$CHROMIUM if set, else the system's Chromium on PATH (Debian's `chromium`), else one Playwright installed."""
    chosen = os.environ.get(CHROMIUM_VAR, "").strip()
    if chosen:
        path = shutil.which(chosen)
        if path is None:
            raise ChromiumNotFound(say("tools_chromium_not_executable", variable=CHROMIUM_VAR, value=repr(chosen)))
        return path
    on_path = next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)
    if on_path:
        return on_path
    downloaded = playwright_browsers()
    return downloaded[0] if downloaded else None


def missing(purpose: str) -> list[Tool]:
    return [tool for tool in NEEDS[purpose] if tool.found() is None]


def can_install() -> list[str] | None:
    """The command prefix that installs Debian packages here (root, or sudo without a password), or None."""
    if os.environ.get(INSTALL_VAR, "auto").strip().lower() == "never" or shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def distribution() -> str:
    """The ID of /etc/os-release ('debian', 'ubuntu'...), or '' elsewhere."""
    try:
        lines = Path("/etc/os-release").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    return next((line.split("=", 1)[1].strip('"') for line in lines if line.startswith("ID=")), "")


def installable(tools: list[Tool]) -> list[Tool]:
    """What apt-get can really provide: Ubuntu's chromium package is a snap wrapper that fails in containers and CI."""
    return [tool for tool in tools if not (tool is CHROMIUM and distribution() == "ubuntu")]


def install(tools: list[Tool], prefix: list[str]) -> str:
    """apt-get install the tools' packages; the output goes to a log, shown only when it fails."""
    packages = sorted({tool.debian for tool in tools})
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log = []
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]):
        result = subprocess.run(prefix + command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, stdin=subprocess.DEVNULL)
        log.append(result.stdout)
        if result.returncode != 0:
            return "".join(log)[-2000:] or say("tools_command_failed", command=" ".join(command), status=result.returncode)
    return ""


def message(tools: list[Tool], purpose: str) -> str:
    what = {"build": "make build", "test": "make test", "site": "make build-site"}[purpose]
    lines = [say("tools_missing", command=what, count=len(tools))]
    lines += [say("tools_missing_one", tool=tool.label(), purpose=say(tool.needed_for)) for tool in tools]
    lines.append(say("tools_debian", command="sudo apt-get install " + " ".join(sorted({t.debian for t in tools}))))
    lines.append(say("tools_macos", command=" && ".join(dict.fromkeys(tool.brew for tool in tools))))
    if CHROMIUM in tools:
        lines.append(say("tools_chromium_other", variable=CHROMIUM_VAR))
    if purpose == "build":
        lines.append(say("tools_site_only"))
    return "\n".join(lines)


def ensure(purpose: str) -> int:
    """Install what `purpose` lacks when this machine allows it; else print one message naming it all; exit code."""
    try:
        lacking = missing(purpose)
    except ChromiumNotFound as exc:
        print(say("tools_setup_refused", problem=exc), file=sys.stderr)
        return 1
    if not lacking:
        return 0
    prefix = can_install()
    to_install = installable(lacking) if prefix is not None else []
    if to_install:
        names = ", ".join(f"{tool.debian} ({say(tool.needed_for)})" for tool in to_install)
        print(say("tools_installing", packages=names), file=sys.stderr)
        failure = install(to_install, prefix)
        lacking = missing(purpose)
        if failure and lacking:
            print(failure, file=sys.stderr)
    if lacking:
        print(message(lacking, purpose), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in NEEDS:
        print(say("tools_usage", choices="|".join(NEEDS)), file=sys.stderr)
        return 2
    return ensure(argv[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
