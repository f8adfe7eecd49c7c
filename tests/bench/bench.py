#!/usr/bin/env python3
"""The arithmetic of tests/bench/run.sh.

check REPORT KEY=VALUE...   a scenario's `run --json` report is the survey it claims to be
line NAME HYPERFINE_JSON    one progress line per measured command
summary RESULTS_DIR ...     the per-scenario table with targets; exit 1 when one is missed
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

BUNDLED = {"tailscale", "ufw", "firewalld", "nftables", "fail2ban", "sshd", "iron-proxy", "docker-seccomp"}
# signal -> the tool its plugin runs
TOOL_OF = {"tailscale": "tailscale", "ufw": "ufw", "firewalld": "firewall-cmd", "nftables": "nft",
           "fail2ban": "fail2ban-client", "docker-seccomp": "docker"}
MIB = 1024


# ---- check -------------------------------------------------------------------

def check_tools_absent(signals, _value):
    return [f"{name}: {s['status']} '{s['detail']}', expected the tool not installed"
            for name, s in signals.items() if name in TOOL_OF and "not installed" not in s["detail"]]


def check_tools_answered(signals, _value):
    return [f"{name}: {s['status']} '{s['detail']}', expected the fake tool's answer"
            for name, s in signals.items() if name in TOOL_OF and s["status"] == "skip"]


def check_min_tool_ms(signals, value):
    return [f"{name}: reported after {s['duration_ms']} ms, before its tool could answer"
            for name, s in signals.items() if name in TOOL_OF and s["duration_ms"] < int(value)]


def check_hung(signals, value):
    hung = set(value.split(","))
    problems = []
    for name, tool in TOOL_OF.items():
        if tool in hung and not signals[name]["detail"].startswith("timed out"):
            problems.append(f"{name}: '{signals[name]['detail']}', expected its command to time out")
    return problems


CHECKS = {"tools": {"absent": check_tools_absent, "answered": check_tools_answered},
          "min_tool_ms": check_min_tool_ms, "hung": check_hung}


def check(args):
    report = json.loads(Path(args.report).read_text())
    signals = {s["name"]: s for s in report["signals"]}
    plugins = report["plugins"]
    problems = [f"plugin {p['name']} is {p['state']}: {p['error']}" for p in plugins if p["state"] != "ok"]
    missing = BUNDLED - {p["name"] for p in plugins}
    if missing:
        problems.append(f"bundled plugins missing: {', '.join(sorted(missing))}")
    for expectation in args.expect:
        key, _, value = expectation.partition("=")
        if key == "signals":
            if len(signals) != int(value):
                problems.append(f"{len(signals)} signals, expected {value}")
        elif key == "extra_plugins":
            extra = [p for p in plugins if p["name"] not in BUNDLED]
            if len(extra) != int(value):
                problems.append(f"{len(extra)} third-party plugins ran, expected {value}")
            problems += [f"{s['name']}: {s['status']}" for s in report["signals"]
                         if s["name"].startswith("bench-") and s["status"] != "pass"]
        elif key == "tools":
            problems += CHECKS["tools"][value](signals, value)
        else:
            problems += CHECKS[key](signals, value)
    for p in problems:
        print(f"  {args.report}: {p}", file=sys.stderr)
    return 1 if problems else 0


# ---- hyperfine results ---------------------------------------------------------

def load_results(path):
    return json.loads(Path(path).read_text())["results"]


def median_ms(result):
    return result["median"] * 1000


def cpu_ms(result):
    """Mean CPU time of the whole process tree (hyperfine counts reaped descendants)."""
    return (result["user"] + result["system"]) * 1000


def label(result):
    """What was measured, briefly: the parameter, or the tool without its environment."""
    if result.get("parameters"):
        return ", ".join(f"{k}={v}" for k, v in result["parameters"].items())
    command = result["command"]
    if " LC_ALL=C " not in command:
        return "survey"
    tool, _, args = command.split(" LC_ALL=C ", 1)[1].partition(" ")
    return f"{tool.rsplit('/', 1)[-1]} {args}".strip()


def line(args):
    for r in load_results(args.file):
        spread = f"{r['min'] * 1000:.1f}..{r['max'] * 1000:.1f}"
        print(f"  {args.name:9} {label(r):50.50} median {median_ms(r):8.1f} ms  cpu {cpu_ms(r):7.1f} ms"
              f"  ({len(r['times'])} runs, {spread} ms)")
    return 0


def rss_lines(path):
    """Medians of the peak-RSS runs: parent, worker, tool KiB; and the largest worker count."""
    rows = [list(map(int, l.split())) for l in Path(path).read_text().splitlines() if l.strip()]
    if not rows:
        return None
    return {"parent": statistics.median(r[0] for r in rows), "worker": max(r[1] for r in rows),
            "tool": max(r[2] for r in rows), "workers": max(r[3] for r in rows),
            "exits": {r[5] for r in rows}}


def slope_ms_per_plugin(points):
    """Least-squares slope of (plugins, median ms)."""
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)


# ---- summary -------------------------------------------------------------------

def mib(kib):
    return f"{kib / MIB:.1f} MiB" if kib else "-"


class Row:
    def __init__(self, name, par, seq, rss, target, met, note=""):
        """par, seq: hyperfine results of the parallel and the sequential survey."""
        self.name, self.par_ms, self.seq_ms, self.rss = name, median_ms(par), median_ms(seq), rss
        self.cpu_ms = cpu_ms(par)
        self.target, self.met, self.note = target, met, note

    def cells(self):
        verdict = {True: "PASS", False: "MISS", None: "info"}[self.met]
        rss = self.rss or {}
        return [self.name, f"{self.par_ms:.1f} ms", f"{self.cpu_ms:.1f} ms", mib(rss.get("parent")),
                mib(rss.get("worker")), f"{self.seq_ms:.1f} ms", f"{self.seq_ms / self.par_ms:.1f}x",
                self.target, verdict]


def pair(results, name):
    return load_results(results / f"{name}-par.json")[0], load_results(results / f"{name}-seq.json")[0]


def scenario_core(results):
    par, seq = pair(results, "s1")
    rss = rss_lines(results / "s1.rss")
    met = median_ms(par) < 15 and rss["parent"] < 10 * MIB
    return Row("1 core only, no tools", par, seq, rss, "<15 ms, parent <10 MiB", met)


def scenario_fake(results):
    par, seq = pair(results, "s2")
    slowest = max(median_ms(r) for r in load_results(results / "s2-probe.json"))
    limit = 1.3 * slowest
    met = median_ms(par) < limit and median_ms(seq) / median_ms(par) >= 5
    return Row("2 fake tools, 100 ms", par, seq, rss_lines(results / "s2.rss"),
               f"<{limit:.0f} ms (1.3x {slowest:.0f}), >=5x", met,
               f"slowest fake tool alone: {slowest:.1f} ms")


def scenario_real(results):
    skipped = results / "s3.skipped"
    if skipped.exists():
        return f"3 real tools: {skipped.read_text().strip()}"
    par, seq = pair(results, "s3")
    probes = load_results(results / "s3-probe.json")
    slowest = max(probes, key=median_ms)
    alone = ", ".join(f"{label(r).split()[0]} {median_ms(r):.0f}" for r in probes)
    note = (f"tools alone (ms): {alone}; sum {sum(median_ms(r) for r in probes):.0f} ms; "
            f"survey = {median_ms(par) / median_ms(slowest):.2f}x the slowest ({label(slowest)})")
    return Row("3 real tools", par, seq, rss_lines(results / "s3.rss"), "none (info)", None, note)


def scenario_hang(results, timeout_s):
    par, seq = pair(results, "s4")
    limit = timeout_s * 1000 + 300
    return Row("4 four hung tools", par, seq, rss_lines(results / "s4.rss"),
               f"<{limit:.0f} ms (timeout+0.3 s)", median_ms(par) < limit,
               f"sequential = {median_ms(seq) / (timeout_s * 1000):.1f} timeouts")


def scenario_plugins(results, extra):
    by_count = {int(r["parameters"]["n"]): r for r in load_results(results / "s5-par.json")}
    points = sorted((n, median_ms(r)) for n, r in by_count.items())
    slope = slope_ms_per_plugin(points)
    cpu_slope = slope_ms_per_plugin(sorted((n, cpu_ms(r)) for n, r in by_count.items()))
    seq = load_results(results / "s5-seq.json")[0]
    medians = ", ".join(f"+{n}: {ms:.1f}" for n, ms in points)
    return Row(f"5 +{extra} plugins", by_count[extra], seq, rss_lines(results / "s5.rss"), "<2 ms per plugin",
               slope < 2, f"medians (ms) {medians}; slope {slope:.2f} ms wall and {cpu_slope:.2f} ms CPU "
                          f"per plugin")


def print_table(rows):
    header = ["Scenario", "Median", "CPU", "Parent RSS", "Worker RSS", "Sequential", "Speed-up", "Target",
              "Result"]
    table = [header] + [r.cells() for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def summary(args):
    results = Path(args.results)
    rows, notes = [], []
    for row in (scenario_core(results), scenario_fake(results), scenario_real(results),
                scenario_hang(results, args.hang_timeout), scenario_plugins(results, args.extra_plugins)):
        if isinstance(row, str):
            notes.append(row)
            continue
        rows.append(row)
        if row.note:
            notes.append(f"{row.name}: {row.note}")
    for row in rows:
        tool = (row.rss or {}).get("tool")
        if tool:
            notes.append(f"{row.name}: largest tool process {mib(tool)}")
        if row.rss and row.rss["exits"] != {0}:
            notes.append(f"{row.name}: the survey exited {sorted(row.rss['exits'])} while its memory was measured")

    print()
    print_table(rows)
    print()
    for n in notes:
        print(f"  {n}")
    missed = [r.name for r in rows if r.met is False]
    print()
    print(f"targets missed: {', '.join(missed)}" if missed else "every target met")
    return 1 if missed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check")
    p.add_argument("report")
    p.add_argument("expect", nargs="*")
    p.set_defaults(run=check)
    p = sub.add_parser("line")
    p.add_argument("name")
    p.add_argument("file")
    p.set_defaults(run=line)
    p = sub.add_parser("summary")
    p.add_argument("results")
    p.add_argument("--hang-timeout", type=float, required=True)
    p.add_argument("--extra-plugins", type=int, required=True)
    p.set_defaults(run=summary)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
