#!/usr/bin/env python3
"""Benchmark mieruka against Hugo on synthetic ward-report sites; standard library only.

    bench/run [--sizes small,medium,large] [--pairs N]     full benchmark (default: all sizes, 5 pairs)
    bench/run --smoke                                      CI check: small corpus, one build, exit 0

Full run, per size: generate mieruka's corpus (bench/gen-corpus) and the peer corpus for Hugo
(shared/bench/gen_corpus.py), then time one warm-up round and N timed rounds of, in this order,
`mieruka build`, `hugo`, and the I/O floor (shared/bench/io_floor.rs writing the same files as
mieruka's output, one thread). Every build writes into a fresh, not yet existing folder; outputs
are deleted only at the end of the whole run (after a large delete, file creation on this disk
is slow for a minute or more: see delete_tree), and the run flushes and waits after deleting
leftovers of an earlier run; after each warm-up it writes the I/O-floor tree until its time is steady (others'
deletes slow the disk too). The machine is shared: the CPU time that other processes take during
each round is measured (/proc/stat minus the timed commands' own CPU), and a round during which
they used more than --max-other (25 %) of the CPUs is discarded and repeated. Wall time is a monotonic clock around spawn and reap; CPU (user + system) and peak
RSS come from the kernel's accounting of the reaped child (wait4), as in shared/bench/bench.py.

Prints a Markdown table (medians, min-max, the median of the per-round ratios) and writes it to
bench/results/latest.md, with every sample in bench/results/latest.json. Without shared/ (looked
for at $MIERUKA_SHARED, ../shared beside the repository, then /work/shared) it says so and times
mieruka alone.

Options: --bin PATH (use this mieruka binary, no cargo build), --work DIR (corpora and outputs,
default bench/work), --keep (do not delete the outputs at the end), --wait-idle S (before each
size, wait up to S seconds until other work uses under 15 % of the CPUs; the report shows how
much CPU other work took during each series either way), --debug (with --smoke: build and use
the dev-profile binary; the default is the release binary, which CI has built already).

Started through the wrapper bench/run (bash), which runs this file with python3.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GEN = BENCH / "gen-corpus"
SIZES = {"small": (2, 2), "medium": (24, 5), "large": (24, 10)}  # wards x years
TARGETS = {"wall_vs_hugo": 0.2, "wall_vs_floor": 2.5, "rss_vs_hugo": 0.25, "large_vs_medium": 2.0}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def find_shared():
    cands = [os.environ.get("MIERUKA_SHARED"), REPO.parent / "shared", "/work/shared"]
    for c in cands:
        if c and (Path(c) / "bench" / "gen_corpus.py").is_file():
            return Path(c).resolve()
    return None


def sh(argv, **kw):
    """Run a helper command (not timed); on failure show its output and stop."""
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(map(str, argv))}\n{r.stdout[-4000:]}")
    return r.stdout


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def build_mieruka(release):
    argv = ["cargo", "build", "--quiet", "--bin", "mieruka"] + (["--release"] if release else [])
    log(f"$ {' '.join(argv)}")
    t0 = time.monotonic()
    sh(argv, cwd=REPO)
    log(f"  built in {time.monotonic() - t0:.0f} s")
    return target_dir() / ("release" if release else "debug") / "mieruka"


def ensure_hugo():
    if shutil.which("hugo"):
        return shutil.which("hugo")
    log("hugo not found: installing Debian's hugo package (apt-get)")
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log("  cannot install (need root and apt-get)")
        return None
    try:
        sh(["apt-get", "update", "-qq"])
        sh(["apt-get", "install", "-y", "-qq", "hugo"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except SystemExit as e:
        log(f"  install failed: {str(e)[:500]}")
        return None
    return shutil.which("hugo")


def build_io_floor(shared, work):
    src = shared / "bench" / "io_floor.rs"
    exe = work / "bin" / "io_floor"
    if not exe.exists() or exe.stat().st_mtime < src.stat().st_mtime:
        exe.parent.mkdir(parents=True, exist_ok=True)
        sh(["rustc", "-O", "--edition", "2021", str(src), "-o", str(exe)])
    return exe


def generate(kind, script, wards, years, out):
    """Generate a corpus unless the same script and arguments made the one already there (the
    generators are deterministic; regenerating would delete and rewrite thousands of files)."""
    args = ["--wards", str(wards), "--years", str(years), "--out", str(out)]
    stamp = hashlib.sha256(script.read_bytes() + " ".join(args).encode()).hexdigest()
    stamp_file = out.parent / f".{out.name}.stamp"
    if out.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return False
    log(f"  generating {kind} corpus {wards}x{years} -> {out}")
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    sh([sys.executable, str(script)] + args)
    stamp_file.write_text(stamp)
    return True


def timed(argv, log_path):
    """Run argv once; wall s, cpu s (user+sys), peak RSS MiB and exit status of the child."""
    fa = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
          (os.POSIX_SPAWN_OPEN, 1, str(log_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
          (os.POSIX_SPAWN_DUP2, 1, 2)]
    t0 = time.monotonic()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=fa)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


SYNC = False  # --sync: flush dirty pages (untimed) before each timed command


def run_checked(name, argv, log_path):
    if SYNC:
        os.sync()
    wall, cpu, rss, code = timed(argv, log_path)
    if code != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        sys.exit(f"{name} failed with exit status {code}: {' '.join(map(str, argv))}\n{tail}")
    return {"wall": wall, "cpu": cpu, "rss": rss}


def count_files(root):
    html = files = size = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, n))
            html += n.endswith(".html")
    return html, files, size


def tree_size(root):
    return sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(root) for n in ns)


def delete_tree(path, settle=True):
    """Delete a tree; after a large one, flush and wait 65 s. This disk is ext4 without a
    journal: when it creates a file it skips every inode freed in the last 60 s (in the last
    6 minutes while the freed inode's table block is not yet written back), looking each one
    up, so creating files right after a big delete costs seconds of system time."""
    if not path.exists():
        return
    big = tree_size(path) > 100 * 2**20
    shutil.rmtree(path)
    if big:
        # The next run (maybe started right after this one) waits for it too: settle_after_delete.
        (path.parent / LAST_DELETE).write_text(f"{time.time()}\n")
        if settle:
            settle_after_delete(path.parent)


LAST_DELETE = ".last-delete"


def settle_after_delete(work):
    """Flush, then wait until 65 s have passed since the last large delete of this runner
    (noted in WORK/.last-delete), so that freed inodes no longer slow file creation."""
    try:
        when = float((work / LAST_DELETE).read_text().strip())
    except (OSError, ValueError):
        return
    os.sync()
    left = when + 65 - time.time()
    if left > 0:
        log(f"  a large tree was deleted {65 - left:.0f} s ago; flushed, waiting {left:.0f} s before creating files")
        time.sleep(left)


def cpu_busy_seconds():
    """CPU seconds the whole machine has spent busy since boot (all CPUs), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None
    hz = os.sysconf("SC_CLK_TCK")
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    return (sum(v[:8]) - idle) / hz


def other_load(seconds=3.0):
    """Share of the machine's CPUs busy with other work over a few seconds (0..1)."""
    b0, t0 = cpu_busy_seconds(), time.monotonic()
    time.sleep(seconds)
    b1, t1 = cpu_busy_seconds(), time.monotonic()
    if b0 is None:
        return None
    return (b1 - b0) / ((t1 - t0) * os.cpu_count())


def wait_idle(limit):
    """Wait (up to `limit` s) until other work uses under 15 % of the CPUs; return the share."""
    deadline = time.monotonic() + limit
    while True:
        busy = other_load()
        if busy is None or busy < 0.15 or time.monotonic() >= deadline:
            return busy
        log(f"  machine busy with other work ({busy:.0%} of {os.cpu_count()} CPUs); waiting")
        time.sleep(12)


def settle_disk(floor, manifest, runs, limit):
    """Write the I/O-floor tree until its time is steady (the last of at least 3 writes within
    25 % of the fastest), at most `limit` seconds. Other processes' deletes on this disk (ext4,
    `discard`) slow file creation for up to a minute without showing as CPU use. Returns the
    probe times (steady: the last within 25 % + 0.05 s of the fastest). The probe trees are kept until the end of the run like every output."""
    times, t_end = [], time.monotonic() + limit
    while True:
        out = runs / f"probe-{len(times)}"
        t0 = time.monotonic()
        sh([str(floor), "write", str(manifest), str(out)])
        times.append(time.monotonic() - t0)
        if len(times) >= 3 and times[-1] <= 1.25 * min(times) + 0.05:
            break
        if time.monotonic() >= t_end:
            log(f"  disk not steady after {limit:.0f} s (writes: "
                + ", ".join(f"{t:.2f}" for t in times) + " s); going on")
            break
        if len(times) >= 3:
            time.sleep(5)
    log("  disk probe (I/O floor writes): " + ", ".join(f"{t:.3f}" for t in times) + " s")
    return times


def med(xs):
    return statistics.median(xs) if xs else None


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {mem} RAM, {platform.system()} {platform.release()}"


def git_rev():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip() or "no commit"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "templates", "assets",
                                "Cargo.toml", "Cargo.lock"], cwd=REPO, capture_output=True,
                               text=True).stdout.strip()
        return rev + (" + uncommitted changes" if dirty else "")
    except OSError:
        return "?"


# ---- one size -----------------------------------------------------------------------------------

def run_size(size, a, tools, work, shared):
    wards, years = SIZES[size]
    log(f"== {size}: {wards} wards x {years} years")
    m_corpus = work / "corpus" / size / "mieruka"
    generate("mieruka", GEN, wards, years, m_corpus)
    h_site = None
    if tools["hugo"]:
        peer = work / "corpus" / size / "peer"
        generate("peer (Hugo/Zola)", shared / "bench" / "gen_corpus.py", wards, years, peer)
        h_site = peer / "hugo"
    runs = work / "runs" / size
    runs.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    def m_cmd(out):
        return [str(tools["mieruka"]), "build", "--root", str(m_corpus), "--out", str(out)]

    def h_cmd(out):
        return [tools["hugo"], "--quiet", "-s", str(h_site), "-d", str(out)]

    samples = {"mieruka": [], "hugo": [], "floor": []}
    res = {"size": size, "wards": wards, "years": years, "pairs": a.pairs, "max_other": a.max_other}
    busy = wait_idle(a.wait_idle)
    res["busy_before"] = busy
    if busy is not None and busy >= 0.15:
        log(f"  WARNING: {busy:.0%} of the CPUs busy with other work: timings will be inflated")
    manifest = work / "manifest" / f"{size}.tsv"

    def one_round(tag):
        """mieruka, Hugo, I/O floor once each; their samples and the other work's CPU share."""
        b0, t0 = cpu_busy_seconds(), time.monotonic()
        got = {"mieruka": run_checked("mieruka", m_cmd(runs / f"mieruka-{tag}"),
                                      logs / f"{size}-mieruka.log")}
        if h_site:
            got["hugo"] = run_checked("hugo", h_cmd(runs / f"hugo-{tag}"), logs / f"{size}-hugo.log")
        if tag == "warmup":
            res["mieruka_out"] = count_files(runs / "mieruka-warmup")
            if h_site:
                res["hugo_out"] = count_files(runs / "hugo-warmup")
            if tools["floor"]:
                manifest.parent.mkdir(parents=True, exist_ok=True)
                sh([str(tools["floor"]), "scan", str(runs / "mieruka-warmup"), str(manifest)])
            b0, t0 = cpu_busy_seconds(), time.monotonic()  # scanning is not other work
            b0 -= sum(x["cpu"] for x in got.values())
        if tools["floor"]:
            got["floor"] = run_checked("io_floor", [str(tools["floor"]), "write", str(manifest),
                                                    str(runs / f"floor-{tag}")],
                                       logs / f"{size}-floor.log")
        other = None
        if b0 is not None:
            own = sum(x["cpu"] for x in got.values())
            wall = time.monotonic() - t0
            other = max(0.0, cpu_busy_seconds() - b0 - own) / (wall * os.cpu_count())
        log(f"  round {tag}: " + ", ".join(f"{k} {v['wall']:.3f} s" for k, v in got.items())
            + ("" if other is None else f"; other work {other:.0%} of the CPUs"))
        return got, other

    one_round("warmup")
    if tools["floor"]:
        res["settle"] = settle_disk(tools["floor"], manifest, runs, a.settle)
    k = tries = 0
    discarded = []
    while k < a.pairs:
        got, other = one_round(f"{tries}")
        tries += 1
        if other is not None and other > a.max_other and len(discarded) < 2 * a.pairs:
            discarded.append(other)
            log(f"    discarded: other work above {a.max_other:.0%}; repeating the round")
            wait_idle(a.wait_idle)
            continue
        for tool, x in got.items():
            samples[tool].append({**x, "other": other})
        k += 1
    # The timed rounds read the search index and the preview images back from the caches the
    # warm-up filled (the content did not change). What the caches save, one build each: without
    # the search index's cache, as after an edit of any report (the edited ward's images would
    # be drawn too), and with no cache at all, as a first build.
    cold = {}
    for tag, gone in (("after-edit", ".mieruka-cache/search"), ("first", ".mieruka-cache")):
        shutil.rmtree(m_corpus / gone, ignore_errors=True)
        cold[tag] = run_checked("mieruka", m_cmd(runs / f"mieruka-{tag}"), logs / f"{size}-mieruka.log")
        log(f"  {tag} build (no {gone}): mieruka {cold[tag]['wall']:.3f} s, "
            f"CPU {cold[tag]['cpu']:.2f} s, peak RSS {cold[tag]['rss']:.0f} MiB")
    res["cold"] = cold
    res["samples"] = samples
    res["discarded"] = discarded
    res["other_kept"] = [x["other"] for x in samples["mieruka"] if x["other"] is not None]
    return res


def summarize(res):
    s = res["samples"]
    out = {}
    for tool, rows in s.items():
        if rows:
            out[tool] = {k: {"median": med([r[k] for r in rows]), "min": min(r[k] for r in rows),
                             "max": max(r[k] for r in rows)} for k in ("wall", "cpu", "rss")}
    m = s["mieruka"]
    if s["hugo"]:
        out["wall_ratio"] = med([x["wall"] / y["wall"] for x, y in zip(m, s["hugo"])])
        out["rss_ratio"] = out["mieruka"]["rss"]["median"] / out["hugo"]["rss"]["median"]
    if s["floor"]:
        out["floor_ratio"] = med([x["wall"] / y["wall"] for x, y in zip(m, s["floor"])])
    return out


def fmt_s(d):
    return f"{d['median']:.3f} ({d['min']:.3f}–{d['max']:.3f})" if d["median"] < 10 else \
        f"{d['median']:.2f} ({d['min']:.2f}–{d['max']:.2f})"


def report(results, meta):
    lines = [f"# mieruka benchmark — {meta['date']}", "",
             f"- machine: {meta['machine']}",
             f"- mieruka: {meta['mieruka']} (commit {meta['commit']})",
             f"- Hugo: {meta['hugo'] or 'not run (' + meta['why_no_hugo'] + ')'}",
             f"- command: `{meta['command']}`" + (" (sync before each timed command)" if SYNC else ""),
             f"- method: 1 warm-up round, then {meta['pairs']} rounds of mieruka, Hugo, I/O floor "
             "(alternating, one series per size), each build into a fresh output folder; "
             "medians, min–max in brackets; ratios are the median of the per-round ratios "
             "(RSS: ratio of the medians). I/O floor = shared/bench/io_floor.rs writing the same "
             "files as mieruka's output, 1 thread. The machine is shared: a round during which "
             f"other processes used more than {meta['max_other']:.0%} of the CPUs is discarded and "
             "repeated (see the notes under the table); after the warm-up, the I/O-floor tree "
             "is written until its time is steady (other processes' deletes slow this disk).", ""]
    hdr = ["size", "HTML pages mieruka / Hugo", "mieruka wall s", "Hugo wall s", "wall mieruka/Hugo",
           "mieruka CPU s", "Hugo CPU s", "mieruka peak RSS MiB", "Hugo peak RSS MiB",
           "RSS mieruka/Hugo", "I/O floor s", "mieruka/floor"]
    lines += ["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
    dash = "–"
    for r in results:
        sm = r["summary"]
        m, h, f = sm.get("mieruka"), sm.get("hugo"), sm.get("floor")
        pages = f"{r['mieruka_out'][0]:,} / " + (f"{r['hugo_out'][0]:,}" if "hugo_out" in r else dash)
        lines.append("| " + " | ".join([
            f"{r['size']} ({r['wards']}×{r['years']})", pages, fmt_s(m["wall"]),
            fmt_s(h["wall"]) if h else dash,
            f"{sm['wall_ratio']:.3f}" if h else dash,
            f"{m['cpu']['median']:.2f}", f"{h['cpu']['median']:.2f}" if h else dash,
            f"{m['rss']['median']:.0f}", f"{h['rss']['median']:.0f}" if h else dash,
            f"{sm['rss_ratio']:.3f}" if h else dash,
            fmt_s(f["wall"]) if f else dash,
            f"{sm['floor_ratio']:.2f}" if f else dash]) + " |")
    lines.append("")
    for r in results:
        mo = r["mieruka_out"]
        extra = ""
        if "hugo_out" in r:
            ho = r["hugo_out"]
            extra = f"; Hugo {ho[1]:,} files, {ho[2] / 2**20:.1f} MiB"
        lines.append(f"- {r['size']} output: mieruka {mo[1]:,} files ({mo[0]:,} HTML), "
                     f"{mo[2] / 2**20:.1f} MiB{extra}")
        if r.get("settle"):
            lines.append("  - disk probe before the timed rounds (I/O-floor writes): "
                         + ", ".join(f"{t:.2f}" for t in r["settle"]) + " s")
        hugo = r["summary"].get("hugo")
        for tag, what in (("after-edit", "without the search index's cache, as after an edit"),
                          ("first", "with no cache, as a first build")):
            c = r.get("cold", {}).get(tag)
            if c:
                vs = f" ({c['wall'] / hugo['wall']['median']:.2f}× Hugo's median)" if hugo else ""
                lines.append(f"  - one build {what}: {c['wall']:.2f} s wall{vs}, CPU {c['cpu']:.2f} s, "
                             f"peak RSS {c['rss']:.0f} MiB")
        ok = r.get("other_kept") or []
        if ok:
            lines.append(f"  - other work on the machine during the kept rounds: median "
                         f"{statistics.median(ok):.0%}, max {max(ok):.0%} of the CPUs; "
                         f"{len(r['discarded'])} round(s) discarded for other work above "
                         f"{r['max_other']:.0%}" + (" (" + ", ".join(f"{x:.0%}" for x in r['discarded']) + ")"
                                                    if r['discarded'] else ""))
    by = {r["size"]: r for r in results}
    lm = None
    if "large" in by and "medium" in by:
        large, medium = by["large"], by["medium"]
        lm = (large["summary"]["mieruka"]["wall"]["median"]
              / medium["summary"]["mieruka"]["wall"]["median"])
        pages = large["mieruka_out"][0] / medium["mieruka_out"][0]
        lines.append(f"- mieruka wall large/medium: {lm:.2f} (HTML pages ×{pages:.2f})")
    lines += ["", "Targets (issue 7 sets them for medium and large; small is for information):", ""]
    for r in results:
        if r["size"] not in ("medium", "large"):
            continue
        sm = r["summary"]
        checks = []
        if "wall_ratio" in sm:
            checks.append(("wall ≤ 0.2× Hugo", sm["wall_ratio"], TARGETS["wall_vs_hugo"]))
            checks.append(("peak RSS ≤ 0.25× Hugo", sm["rss_ratio"], TARGETS["rss_vs_hugo"]))
        if "floor_ratio" in sm:
            checks.append(("wall ≤ 2.5× I/O floor", sm["floor_ratio"], TARGETS["wall_vs_floor"]))
        for name, v, t in checks:
            lines.append(f"- {r['size']}: {name}: {v:.3f} — {'met' if v <= t else 'NOT met'}")
    if lm is not None:
        lines.append(f"- large/medium wall ≤ 2.0: {lm:.2f} — {'met' if lm <= 2.0 else 'NOT met'}")
    if lines[-1] == "":
        lines.append("- none measurable in this run (they need Hugo and the I/O floor, or both "
                     "medium and large)")
    return "\n".join(lines) + "\n"


# ---- modes --------------------------------------------------------------------------------------

def smoke(a):
    exe = Path(a.bin) if a.bin else build_mieruka(not a.debug)
    tmp = Path(tempfile.mkdtemp(prefix="mieruka-bench-smoke-"))
    try:
        corpus, out = tmp / "corpus", tmp / "out"
        sh([sys.executable, str(GEN), "--wards", "2", "--years", "2", "--out", str(corpus)])
        s = run_checked("mieruka build", [str(exe), "build", "--root", str(corpus), "--out", str(out)],
                        tmp / "build.log")
        html, files, _ = count_files(out) if out.exists() else (0, 0, 0)
        if html == 0:
            sys.exit(f"bench smoke: mieruka build exited 0 but wrote no HTML page into {out}")
        print(f"bench smoke: ok: small corpus (2 wards x 2 years) built by {exe.relative_to(REPO) if exe.is_relative_to(REPO) else exe} "
              f"in {s['wall']:.2f} s, {html} HTML pages, {files} files")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def full(a):
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in SIZES:
            sys.exit(f"unknown size {s!r}: choose from {', '.join(SIZES)}")
    work = Path(a.work).resolve()
    shared = find_shared()
    built = Path(a.bin).resolve() if a.bin else build_mieruka(True)
    # time a copy: others may rebuild target/release/mieruka while the benchmark runs
    snap = work / "bin" / "mieruka"
    snap.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(built, snap)
    digest = hashlib.sha256(snap.read_bytes()).hexdigest()[:12]
    tools = {"mieruka": snap, "hugo": None, "floor": None}
    why = ""
    if shared is None:
        why = "shared/ not found ($MIERUKA_SHARED, ../shared, /work/shared): no peer corpus, no I/O floor"
        log(f"NOTE: {why}; timing mieruka alone")
    else:
        tools["hugo"] = ensure_hugo()
        if not tools["hugo"]:
            why = "hugo missing and could not be installed"
            log(f"NOTE: {why}; timing mieruka alone")
        tools["floor"] = build_io_floor(shared, work)
    commit = git_rev()  # when the binary was taken
    hugo_version = None
    if tools["hugo"]:
        hugo_version = sh([tools["hugo"], "version"]).strip()
    # leftovers of an earlier run (e.g. --keep) go first, then the disk gets time to settle
    if (work / "runs").exists():
        log(f"deleting the outputs of an earlier run in {work / 'runs'}")
        delete_tree(work / "runs")
    else:
        settle_after_delete(work)  # an earlier run's clean-up may have just finished
    results = []
    try:
        for size in sizes:
            res = run_size(size, a, tools, work, shared)
            res["summary"] = summarize(res)
            results.append(res)
    finally:
        if not a.keep:
            delete_tree(work / "runs", settle=False)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "mieruka": f"{built} (timed as a copy, sha256 {digest}…)",
            "commit": commit,
            "hugo": hugo_version, "why_no_hugo": why, "pairs": a.pairs, "max_other": a.max_other,
            "command": " ".join(["bench/run"] + sys.argv[1:])}
    text = report(results, meta)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text, encoding="utf-8")
    (out / "latest.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1,
                                                ensure_ascii=False), encoding="utf-8")
    print(text)
    log(f"written to {out / 'latest.md'} and latest.json")


def main():
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--sizes", default="small,medium,large", help="comma-separated: small,medium,large")
    p.add_argument("--pairs", type=int, default=5, help="timed rounds per size after 1 warm-up (default 5)")
    p.add_argument("--smoke", action="store_true", help="CI check: build the small corpus once, exit 0")
    p.add_argument("--debug", action="store_true", help="with --smoke: dev-profile binary")
    p.add_argument("--bin", help="mieruka binary to use (skips cargo build)")
    p.add_argument("--work", default=str(BENCH / "work"), help="corpora and outputs (default bench/work)")
    p.add_argument("--keep", action="store_true", help="keep the build outputs")
    p.add_argument("--max-other", type=float, default=0.25, metavar="F",
                   help="repeat a timed round (up to 2N times in all) when other work used more than "
                        "this share of the CPUs during it (default 0.25)")
    p.add_argument("--settle", type=float, default=90, metavar="S",
                   help="after the warm-up, write the I/O-floor tree until its time is steady, "
                        "at most S seconds (default 90)")
    p.add_argument("--sync", action="store_true",
                   help="sync (untimed) before each timed command, so that no command pays for "
                        "writing back the previous one's output (off by default, as in the peer "
                        "baseline)")
    p.add_argument("--wait-idle", type=float, default=0, metavar="S",
                   help="before each size, wait up to S seconds for other work to use <15%% of the CPUs")
    a = p.parse_args()
    global SYNC
    SYNC = a.sync
    if a.pairs < 1:
        p.error("--pairs must be at least 1")
    smoke(a) if a.smoke else full(a)


if __name__ == "__main__":
    main()
