#!/usr/bin/env bash
# Runs every test of mieruka, installing what it needs when missing (Debian's chromium,
# Java, the pinned npm packages of tests/browser, a Japanese font for the preview images):
#   1. cargo fmt --check, cargo clippy (warnings are errors), then cargo test in the debug and
#      the release profile: unit tests beside the code, whole-site fixture builds, error text;
#   2. the real site and every fixture site built and checked in headless Chromium
#      (axe-core, internal links and fragments, 320 px overflow, Nu HTML checker), the real
#      site also under a sub-folder; screenshots into target/screenshots/ (outside git); and
#      each one's Data Package validated over HTTP by frictionless-py (pinned, installed into a
#      venv under ~/.cache when missing: tests/frictionless/run.sh);
#   3. the benchmark kept working (small corpus, built once).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${MIERUKA_TEST_PORT:-8357}"
step() { printf '\n==== %s\n' "$*"; }

command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs) first" >&2; exit 2; }

for c in rustfmt clippy; do
  cargo "${c/rustfmt/fmt}" --version >/dev/null 2>&1 || rustup component add "$c"
done

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy"
cargo clippy --locked --all-targets -- -D warnings

step "Japanese font (preview images, tests/integration/images.rs)"
# The preview images are drawn with a Japanese font of the system: fonts-noto-cjk (Debian), the
# one the browser checks need too. Elsewhere, any of src/images/font.rs SYSTEM_FAMILIES will do.
if ! fc-list :lang=ja 2>/dev/null | grep -q . && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends fonts-noto-cjk >/tmp/mieruka-apt.log 2>&1 \
    || { apt-get update -q >/tmp/mieruka-apt.log 2>&1 && apt-get install -y -q --no-install-recommends fonts-noto-cjk >/tmp/mieruka-apt.log 2>&1; } \
    || { cat /tmp/mieruka-apt.log >&2; echo "apt-get install fonts-noto-cjk failed" >&2; exit 2; }
fi

step "cargo test (debug)"
cargo test --locked

step "cargo test (release)"
cargo build --release --locked
cargo test --release --locked

step "browser checks"
bash tests/browser/run.sh --install-only
bash tests/frictionless/run.sh --install-only
BIN=target/release/mieruka
SITES=target/test-sites
rm -rf "$SITES"; mkdir -p "$SITES"
check() { # name root base-path [screenshot pages] [search queries]
  local name=$1 root=$2 base=$3 pages=${4:-} search=${5:-}
  step "site: $name (base path $base)"
  "$BIN" build --root "$root" --out "$SITES/$name" --base-url "http://127.0.0.1:$PORT$base"
  local extra=()
  [ -n "$pages" ] && extra=(--screenshots "target/screenshots/$name" --pages "$pages")
  [ -n "$search" ] && extra+=(--search "$search")
  bash tests/browser/run.sh "$SITES/$name" --port "$PORT" --base-path "$base" "${extra[@]}"
  bash tests/frictionless/run.sh "$SITES/$name" --port "$PORT" --base-path "$base"
}
REAL_PAGES="home=index.html,report=osaka/kita/2016/index.html,goal=osaka/kita/2016/goals/1-1/index.html,initiative=osaka/kita/2016/initiatives/1-1-1/index.html,indicator=osaka/kita/indicators/jiritsu-chiiki-unei/index.html,ward=osaka/kita/index.html,status=osaka/status/index.html,status-list=osaka/status/achieved/index.html"
# Typed into the search page: the page that must come within the first N results.
REAL_SEARCH="待機児童=osaka/kita/indicators/kita-hoikusho-taiki-jido/@2;待機児童=osaka/kita/2016/goals/2-5/@2;防災=osaka/kita/2016/goals/2-2/@1;地域活動協議会=osaka/kita/2016/goals/1-1/@1"
check real . / "$REAL_PAGES" "$REAL_SEARCH"
check real-subfolder . /kusei/hyoka/ "" "$REAL_SEARCH"
for fixture in tests/fixtures/*/; do
  name=$(basename "$fixture")
  [ -f "$fixture/site.toml" ] || continue
  check "fixture-$name" "$fixture" /
done

step "benchmark smoke test"
bash bench/run --smoke

step "all tests passed"
