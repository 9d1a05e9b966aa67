#!/usr/bin/env bash
# Browser checks for a built mieruka site (axe-core, links, 320px overflow, Nu HTML checker,
# screenshots). Installs what is missing (Debian chromium + Japanese fonts, Java, pinned npm
# packages), then runs check.mjs. See tests/browser/README.md.
#
# usage: bash tests/browser/run.sh SITE_DIR [--base-path /kusei/hyoka/] [--port 8357]
#          [--screenshots DIR] [--pages "label=path,label=path"] [--concurrency N]
#        bash tests/browser/run.sh --install-only
# The site must be built with base URL http://127.0.0.1:PORT<base-path> (PORT defaults to 8357).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
say() { printf 'browser-setup: %s\n' "$*" >&2; }

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac

# apt-get install, running `apt-get update` only when the package lists are missing/stale.
apt_install() {
  if ! apt-get install -y -q --no-install-recommends "$@" >/tmp/mieruka-apt.log 2>&1; then
    say "apt-get update (package lists missing or stale)"
    apt-get update -q >/tmp/mieruka-apt.log 2>&1 || { cat /tmp/mieruka-apt.log >&2; exit 2; }
    apt-get install -y -q --no-install-recommends "$@" >/tmp/mieruka-apt.log 2>&1 \
      || { cat /tmp/mieruka-apt.log >&2; say "apt-get install $* failed"; exit 2; }
  fi
}
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

setup() {
  local pkgs=()
  command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
  # Japanese glyphs for screenshots and for realistic text widths in the 320px check.
  deb_installed fonts-noto-cjk || pkgs+=(fonts-noto-cjk)
  java -version >/dev/null 2>&1 || pkgs+=(default-jre-headless)
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  if [ "${#pkgs[@]}" -gt 0 ]; then
    say "apt-get install ${pkgs[*]} (takes a minute or two)"
    apt_install "${pkgs[@]}"
  fi
  command -v npm >/dev/null 2>&1 || apt_install npm
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    say "node $(node --version) found; playwright-core needs node >= 20"; exit 2
  fi
  [ -x /usr/bin/chromium ] || { say "/usr/bin/chromium missing after install"; exit 2; }

  # npm packages, exact versions from package-lock.json. --ignore-scripts: vnu-jar's
  # postinstall would try to fetch a JRE; playwright-core never fetches a browser here.
  local stamp="$HERE/node_modules/.mieruka-stamp" want
  want="$(cat "$HERE/package-lock.json" "$HERE/package.json" | sha256sum | cut -d' ' -f1) node$major"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] \
     || [ ! -f "$HERE/node_modules/axe-core/axe.min.js" ] \
     || [ ! -f "$HERE/node_modules/vnu-jar/build/dist/vnu.jar" ] \
     || [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
    say "npm ci (playwright-core, axe-core, vnu-jar)"
    (cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
    echo "$want" > "$stamp"
  fi
}

# Serialise installs between concurrent runs on the same machine.
exec 9>/tmp/mieruka-browser-setup.lock
flock 9
setup
flock -u 9

[ "${1:-}" = "--install-only" ] && { say "ok"; exit 0; }
exec node "$HERE/check.mjs" "$@"
