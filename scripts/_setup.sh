# Shared set-up for scripts/build-site and scripts/test (sourced, not run).
# On Debian/Ubuntu it installs what is missing: Graphviz, python3-venv; then it creates
# .venv and installs argmap into it (editable) with the test tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root to run: $*"; exit 3
  fi
}

apt_install() {
  if ! command -v apt-get >/dev/null; then
    say "please install $* with your system's package manager (see README.md), then run this again"
    exit 3
  fi
  say "installing $* (apt-get)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null; then apt_install python3 python3-venv; fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "argmap needs Python 3.11 or newer; $("$PYTHON" --version) found. Set PYTHON=python3.11 (or newer) and run again."
  exit 3
fi
command -v dot >/dev/null || apt_install graphviz

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
fi
stamp=.venv/.argmap-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "installing argmap and its test tools into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
