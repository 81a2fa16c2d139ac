#!/usr/bin/python3
"""Draws bin/loadtest's chart: messages per server CPU-second, by scenario and peer, as a PNG.

    /usr/bin/python3 benchmarks/loadgen/chart.py [--include-invalid] [--title TEXT] RESULTS.json... OUT.png

RESULTS.json are results files of bin/loadtest (benchmarks/results/loadtest-*.json). Each bar is the median
over a peer's valid rounds in a scenario (echo16, echo1k: echoes; broadcast: deliveries; latency: echoes
at the fixed rate, so there it shows what the rate costs, not a peak). With several files, a later file's
(scenario, peer) replaces an earlier one's. --include-invalid also draws, hatched and pale, the median of a
peer's INVALID runs where it has no valid one (for smoke runs on a busy machine; never for results).
Needs matplotlib (Debian: python3-matplotlib); it draws with the Agg backend, no display needed.
"""
import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

SCENARIOS = ("echo16", "echo1k", "broadcast", "latency")
LABELS = {"echo16": "echo 16 B", "echo1k": "echo 1 KiB", "broadcast": "broadcast 16 B\n(deliveries)",
          "latency": "latency 16 B\n(at a fixed rate)"}
# One colour per peer, the same in every chart; Duplex stands out.
COLOURS = {"duplex": "#d62728", "netty": "#1f77b4", "vertx": "#9467bd", "jetty": "#8c564b",
           "java-websocket": "#e377c2", "ws": "#2ca02c", "gorilla": "#17becf"}
OTHER = ("#7f7f7f", "#bcbd22", "#ff7f0e", "#aec7e8")


def usage():
    print(__doc__, file=sys.stderr)
    sys.exit(2)


def collect(paths, include_invalid):
    """{scenario: {server: (value, valid)}}, and the metadata of the last file."""
    data, meta, servers = {}, {}, []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
        meta = results["meta"]
        servers += [s for s in meta["servers"] if s not in servers]
        for scenario in SCENARIOS:
            for server in meta["servers"]:
                runs = [r for r in results["runs"] if r["scenario"] == scenario and r["server"] == server
                        and r.get("msgs_per_server_cpu_s")]
                valid = [r["msgs_per_server_cpu_s"] for r in runs if r.get("valid")]
                if valid:
                    data.setdefault(scenario, {})[server] = (statistics.median(valid), True)
                elif include_invalid and runs:
                    data.setdefault(scenario, {})[server] = (
                        statistics.median(r["msgs_per_server_cpu_s"] for r in runs), False)
    return data, meta, servers


def short(v):
    return f"{v / 1e6:.2f}M" if v >= 1e6 else f"{v / 1e3:.0f}k"


def draw(data, meta, servers, out, title):
    scenarios = [s for s in SCENARIOS if s in data]
    if not scenarios:
        raise SystemExit("chart.py: nothing to draw: no VALID run with a server CPU figure in the results"
                         " (--include-invalid draws INVALID runs, hatched)")
    servers = [s for s in servers if any(s in data[sc] for sc in scenarios)]
    colours = {s: COLOURS.get(s) or OTHER[i % len(OTHER)] for i, s in enumerate(servers)}
    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(scenarios) * len(servers) / 2 + 3), 5.5), dpi=110)
    width = 0.8 / len(servers)
    for j, scenario in enumerate(scenarios):
        # Each scenario's bars are centred on its tick, whichever peers it has (broadcast has fewer).
        present = [s for s in servers if s in data[scenario]]
        for i, server in enumerate(present):
            value, valid = data[scenario][server]
            x = j + (i - (len(present) - 1) / 2) * width
            ax.bar(x, value, width * 0.95, color=colours[server], alpha=1.0 if valid else 0.35,
                   hatch=None if valid else "///", edgecolor="black" if not valid else colours[server],
                   linewidth=0.5)
            ax.text(x, value, short(value), ha="center", va="bottom", fontsize=7, rotation=90 if len(servers) > 4 else 0)
    ax.set_xticks(range(len(scenarios)))
    ax.set_xticklabels([LABELS[s] for s in scenarios])
    ax.set_ylabel("messages per server CPU-second")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: short(v) if v else "0"))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    handles = [matplotlib.patches.Patch(color=colours[s], label=s) for s in servers]
    if any(not v for sc in data.values() for _, v in sc.values()):
        handles.append(matplotlib.patches.Patch(facecolor="white", edgecolor="black", hatch="///",
                                                label="no valid run: median of INVALID runs"))
    ax.legend(handles=handles, fontsize=8, ncol=min(4, len(handles)), loc="upper right")
    machine = meta.get("machine", {})
    sub = (f"{meta.get('date', '?')[:10]}, {machine.get('nproc', '?')} CPUs ({machine.get('model', '?')}), "
           f"server on CPU 0, generator on CPU 1; {meta.get('rounds', '?')} round(s) of {meta.get('duration', '?')} s; "
           f"median of valid rounds")
    ax.set_title((title + "\n" if title else "") + sub, fontsize=9)
    fig.tight_layout()
    fig.savefig(out)
    print(f"chart: {out}")


def main(argv):
    include_invalid, title, rest = False, "", []
    i = 0
    while i < len(argv):
        if argv[i] == "--include-invalid":
            include_invalid = True
        elif argv[i] == "--title" and i + 1 < len(argv):
            title = argv[i + 1]
            i += 1
        elif argv[i].startswith("-"):
            usage()
        else:
            rest.append(argv[i])
        i += 1
    if len(rest) < 2 or not rest[-1].endswith(".png"):
        usage()
    data, meta, servers = collect(rest[:-1], include_invalid)
    draw(data, meta, servers, rest[-1], title)


if __name__ == "__main__":
    main(sys.argv[1:])
