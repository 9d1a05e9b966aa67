#!/usr/bin/env bash
# Validates the Data Package of a built mieruka site with the real validator, frictionless-py
# (v5, pinned in requirements.txt), fetched over HTTP as a reader would: the site is served at
# its base URL and `frictionless validate http://127.0.0.1:PORT<base-path>data/datapackage.json`
# must report no error and a table checked for every CSV resource (each against its Table
# Schema: types, enum and pattern constraints, primary and foreign keys). The package inside
# data/mieruka-data.zip (paths relative to the archive) is validated the same way, unzipped.
# Installs frictionless into a virtual environment when missing (Python 3 with venv and pip;
# PyPI), at $MIERUKA_FRICTIONLESS_VENV or ~/.cache/mieruka-frictionless.
#
# usage: bash tests/frictionless/run.sh SITE_DIR [--base-path /kusei/hyoka/] [--port 8357]
#        bash tests/frictionless/run.sh --install-only
# The site must be built with base URL http://127.0.0.1:PORT<base-path> (PORT defaults to 8357).
# Exit status: 0 valid, 1 invalid, 2 usage or setup error.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${MIERUKA_FRICTIONLESS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/mieruka-frictionless}"
say() { printf 'frictionless: %s\n' "$*" >&2; }
usage() { sed -n '11,14p' "$0" | sed 's/^# \{0,1\}//'; }

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac

# The venv, (re)made when requirements.txt changed. Serialised between concurrent runs.
install() {
  local want stamp="$VENV/.mieruka-stamp"
  want="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
  if [ -x "$VENV/bin/frictionless" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  command -v python3 >/dev/null || { say "python3 not found"; exit 2; }
  say "installing frictionless into $VENV (pip, pinned versions)"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV" || { say "python3 -m venv failed (on Debian: apt-get install python3-venv)"; exit 2; }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$HERE/requirements.txt" >&2 \
    || { say "pip install failed"; rm -rf "$VENV"; exit 2; }
  echo "$want" > "$stamp"
}

mkdir -p "$(dirname "$VENV")"
exec 9>"$(dirname "$VENV")/.mieruka-frictionless.lock"
flock 9
install
flock -u 9
[ "${1:-}" = "--install-only" ] && { say "ok ($("$VENV/bin/frictionless" --version))"; exit 0; }

SITE="$1"; shift
PORT=8357 BASE_PATH=/
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --base-path) BASE_PATH="$2"; shift 2 ;;
    *) say "unknown option $1"; usage >&2; exit 2 ;;
  esac
done
[ -f "$SITE/data/datapackage.json" ] || { say "$SITE/data/datapackage.json: no such file (build the site first)"; exit 2; }
BASE_PATH="/${BASE_PATH#/}"; BASE_PATH="${BASE_PATH%/}/"; BASE_PATH="${BASE_PATH//\/\//\/}"

# Serve the site at its base path: a folder whose <base-path> is the site.
ROOT="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$ROOT"; }
trap cleanup EXIT
if [ "$BASE_PATH" = "/" ]; then
  SERVED="$(cd "$SITE" && pwd)"
else
  mkdir -p "$ROOT/$(dirname "${BASE_PATH%/}")"
  ln -s "$(cd "$SITE" && pwd)" "$ROOT/${BASE_PATH%/}"
  SERVED="$ROOT"
fi
if python3 -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', $PORT)) == 0 else 1)"; then
  say "port $PORT is already in use"; exit 2
fi
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SERVED" >/dev/null 2>&1 &
SERVER=$!
URL="http://127.0.0.1:$PORT${BASE_PATH}data/datapackage.json"
for _ in $(seq 50); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$URL" 2>/dev/null && break
  sleep 0.1
done

# validate WHERE PACKAGE: runs frictionless on WHERE (a URL or a file) and checks its report
# against PACKAGE (the datapackage.json it names): no error, every CSV checked as a table.
validate() {
"$VENV/bin/frictionless" validate --json "$1" > "$ROOT/report.json" || true
python3 - "$ROOT/report.json" "$2" <<'EOF'
import json, sys
try:
    report = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError:
    print(open(sys.argv[1], encoding="utf-8").read()[:4000])
    print("frictionless: no JSON report")
    sys.exit(1)
package = json.load(open(sys.argv[2], encoding="utf-8"))
tasks = report.get("tasks", [])
errors = [(t.get("name"), e) for t in tasks for e in t.get("errors", [])] + [(None, e) for e in report.get("errors", [])]
for name, e in errors[:50]:
    print(f"  {name}: {e.get('type')} row {e.get('rowNumber')} field {e.get('fieldName')}: {e.get('note') or e.get('message')}")
csv = [r["name"] for r in package["resources"] if r.get("format") == "csv"]
tables = {t["name"]: t for t in tasks if t.get("type") == "table"}
unchecked = [n for n in csv if n not in tables]
for n in unchecked:
    print(f"  {n}: CSV resource not checked as a table")
rows = sum(t.get("stats", {}).get("rows", 0) for t in tables.values())
print(
    f"frictionless: {len(package['resources'])} resources, {len(tasks)} tasks, "
    f"{len(tables)} of {len(csv)} CSV tables checked ({rows} rows), {len(errors)} errors"
)
sys.exit(0 if report.get("valid") and not errors and not unchecked and len(tasks) == len(package["resources"]) else 1)
EOF
}

say "validate $URL"
validate "$URL" "$SITE/data/datapackage.json" || exit 1

# The archive of all data carries a package whose paths are relative to it: valid unzipped.
if [ -f "$SITE/data/mieruka-data.zip" ]; then
  python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" \
    "$SITE/data/mieruka-data.zip" "$ROOT/offline"
  say "validate datapackage.json of data/mieruka-data.zip, unzipped"
  (cd "$ROOT/offline" && validate datapackage.json "$ROOT/offline/datapackage.json") || exit 1
fi
