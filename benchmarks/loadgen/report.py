#!/usr/bin/env python3
"""bin/loadtest's bookkeeping: judges runs, prints the tables, writes the results JSON.

    report.py check RECORD_JSON              prints VALID, or INVALID: reasons (exit 0 either way)
    report.py line RECORD_JSON VERDICT       prints the one-line summary of a run
    report.py report RUNS_JSONL META_JSON OUT_JSON

A record is one line of RUNS_JSONL, written by bin/loadtest:
  echo, latency, broadcast: {"scenario", "server", "round", "attempt", "rc",
         "loadgen": <loadgen's JSON or null>}, or {..., "skipped": why} for a peer without the route
  idle: {"scenario", "server", "round", "attempt", "requested", "kind", "ready": {...}, "done": {...},
         "rss_kb_before", "rss_kb_after", "histogram_before", "histogram_after" (jcmd output files, JVMs)}

Validity rules (a run failing one is INVALID and left out of medians and ratios):
  echo: errors == 0 and every connection open at the end; the server used >= 0.8 of a core on average
        over the measured window (else something else had its core, or it cannot saturate one); the
        generator used no more CPU than the server (else we may be measuring the generator).
  broadcast: as echo (the publisher open at the end too); messages are deliveries to the subscribers
        and the publisher's own copies.
  latency: errors == 0 and every connection open at the end; the achieved rate within 2% of the target
        (below: the server fell behind; above: it was working off a backlog from the warm-up);
        the generator's sends left on time (send lag p99 <= 10% of the round-trip p99, or <= 100 us),
        since the round trips are measured from the scheduled send time and lateness counts in them;
        the server waited for a CPU <= 0.1 s per second (on a shared core its tail latency is the
        other load's); the hypervisor stole <= 0.02 s per second from CPU 0 and from CPU 1 (steal time in
        /proc/stat, over the whole run: on a VM whose host is busy, a stolen millisecond is a millisecond
        of everyone's latency). The server is NOT required to use 0.8 of a core: at half of the peak rate it
        should not.
  idle: every connection came up and stayed up, no errors; for JVMs both heap histograms were read.
"""
import json
import statistics
import sys

MIN_SERVER_CORES = 0.8
MIN_RATE_FRACTION = 0.98
MAX_SEND_LAG_FRACTION = 0.10
SEND_LAG_ALLOWED_US = 100
MAX_SERVER_WAIT = 0.10
MAX_STEAL = 0.02
BASELINE = "netty"


def histogram(path):
    """Parses `jcmd PID GC.class_histogram`: ({class: bytes}, total bytes) of live objects."""
    classes, total = {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[0].endswith(":") and parts[0][:-1].isdigit():
                name = " ".join(parts[3:])
                classes[name] = classes.get(name, 0) + int(parts[2])
            elif len(parts) == 3 and parts[0] == "Total":
                total = int(parts[2])
    if total is None:
        raise ValueError(f"{path}: no 'Total' line; is it GC.class_histogram output?")
    return classes, total


def derive(rec):
    """Adds the derived numbers to a record and returns (valid, reasons)."""
    reasons = []
    if rec["scenario"] == "idle":
        n = rec["requested"]
        ready, done = rec.get("ready") or {}, rec.get("done") or {}
        if ready.get("connections") != n:
            reasons.append(f"{ready.get('connections')} of {n} connections came up")
        if ready.get("errors", 1) or done.get("errors", 1):
            reasons.append(f"errors (ready {ready.get('errors')}, done {done.get('errors')})")
        if done.get("still_open_at_end") != n:
            reasons.append(f"{done.get('still_open_at_end')} of {n} still open at the end of the hold")
        if rec.get("rss_kb_before") and rec.get("rss_kb_after"):
            rec["rss_bytes_per_conn"] = (rec["rss_kb_after"] - rec["rss_kb_before"]) * 1024 / n
        else:
            reasons.append("VmRSS not read")
        if rec.get("kind") == "jvm":
            try:
                before, t0 = histogram(rec["histogram_before"])
                after, t1 = histogram(rec["histogram_after"])
                rec["heap_bytes_before"], rec["heap_bytes_after"] = t0, t1
                rec["heap_bytes_per_conn"] = (t1 - t0) / n
                growth = sorted(((after.get(k, 0) - before.get(k, 0), k) for k in set(after) | set(before)),
                                reverse=True)
                rec["heap_growth_top"] = [{"class": k, "bytes_per_conn": round(d / n, 1)} for d, k in growth[:12]]
            except (OSError, ValueError, KeyError) as e:
                reasons.append(f"heap histogram: {e}")
        return not reasons, reasons
    if rec.get("skipped"):
        return False, [f"skipped: {rec['skipped']}"]
    lg = rec.get("loadgen")
    if not lg:
        return False, [f"no result from loadgen (exit {rec.get('rc')})"]
    if lg.get("interrupted"):
        reasons.append("interrupted by a signal")
    if lg.get("errors"):
        reasons.append(f"{lg['errors']} errors {json.dumps({k: v for k, v in lg['error_detail'].items() if v})}")
    if lg.get("open_at_end") != lg.get("connections") or lg.get("connections") != rec.get("connections", 100):
        reasons.append(f"{lg.get('open_at_end')} of {rec.get('connections', 100)} connections open at the end")
    if lg.get("mode") == "broadcast" and not lg.get("publisher_open_at_end"):
        reasons.append("the publisher was not open at the end")
    secs, cpu, gen = lg.get("seconds") or 0, lg.get("server_cpu_s"), lg.get("loadgen_cpu_s")
    if cpu is None or secs <= 0:
        reasons.append("server CPU not sampled")
        return not reasons, reasons
    rec["server_cores"] = cpu / secs
    rec["msgs_per_server_cpu_s"] = lg["messages"] / cpu if cpu > 0 else None
    rec["generator_cores"] = gen / secs
    wait = lg.get("server_runqueue_wait_s")
    rec["server_wait_cores"] = wait / secs if wait is not None else None
    if lg.get("mode") == "latency":
        target = lg.get("target_rate") or 0
        if lg["msgs_per_sec"] < MIN_RATE_FRACTION * target:
            reasons.append(f"achieved {lg['msgs_per_sec']:,.0f} msgs/s, under {MIN_RATE_FRACTION:.0%} of the target "
                           f"{target:,.0f}")
        elif lg["msgs_per_sec"] > (2 - MIN_RATE_FRACTION) * target:
            reasons.append(f"achieved {lg['msgs_per_sec']:,.0f} msgs/s, over {2 - MIN_RATE_FRACTION:.0%} of the target "
                           f"{target:,.0f}: the server was still working off a backlog from the warm-up")
        lag = lg.get("send_lag_p99_us", 0)
        if lag > SEND_LAG_ALLOWED_US and lag > MAX_SEND_LAG_FRACTION * lg["p99_us"]:
            reasons.append(f"the generator's sends left late (send lag p99 {lag:,.0f} us against a round-trip p99 "
                           f"of {lg['p99_us']:,.0f} us)")
        if wait is not None and wait / secs > MAX_SERVER_WAIT:
            reasons.append(f"the server's threads waited {wait / secs:.2f} s per second for a CPU (> {MAX_SERVER_WAIT})")
        steal = rec.get("steal")
        if steal and steal.get("over_s"):
            worst = max(steal["cpu0_s"], steal["cpu1_s"]) / steal["over_s"]
            if worst > MAX_STEAL:
                reasons.append(f"the hypervisor stole {steal['cpu0_s']:.2f} s of CPU 0 and {steal['cpu1_s']:.2f} s of "
                               f"CPU 1 in {steal['over_s']:.0f} s (> {MAX_STEAL} s per second)")
        return not reasons, reasons
    if cpu / secs < MIN_SERVER_CORES:
        why = f"server used {cpu / secs:.2f} of a core (< {MIN_SERVER_CORES})"
        if wait is not None and wait / secs > 0.1:
            why += f", its threads waited {wait / secs:.2f} s per second for a CPU (other load on CPU 0)"
        gen_wait = lg.get("loadgen_runqueue_wait_s")
        if gen_wait is not None and gen_wait / secs > 0.1:
            why += f", the generator waited {gen_wait / secs:.2f} s per second for CPU 1"
        reasons.append(why)
    if gen > cpu:
        reasons.append(f"generator used more CPU ({gen:.2f} s) than the server ({cpu:.2f} s)")
    return not reasons, reasons


def check(record_json):
    rec = json.loads(record_json)
    valid, reasons = derive(rec)
    print("VALID" if valid else "INVALID: " + "; ".join(reasons))


def line(record_json, verdict):
    """The one-line summary bin/loadtest prints after each echo, latency or broadcast run."""
    r = json.loads(record_json)
    derive(r)
    lg = r.get("loadgen") or {}
    cpu, secs = lg.get("server_cpu_s"), lg.get("seconds") or 0
    head = f"round {r['round']} {r['scenario']:<9} {r['server']:<14} "
    if not lg or cpu is None or not secs:
        print(head + "no result  " + verdict, flush=True)
        return
    steal = r.get("steal") or {}
    stolen = (f"steal {steal['cpu0_s'] / steal['over_s']:.3f}/{steal['cpu1_s'] / steal['over_s']:.3f} s/s  "
              if steal.get("over_s") else "")
    common = (f"server {cpu / secs:.2f} cores  {lg['messages'] / cpu if cpu else 0:>10,.0f} msgs/CPU-s  "
              f"generator {lg['loadgen_cpu_s'] / secs:.2f} cores  "
              f"server waited {lg.get('server_runqueue_wait_s', 0) / secs:.2f} s/s for a CPU  " + stolen)
    if lg.get("mode") == "latency":
        print(head + f"{lg['msgs_per_sec']:>10,.0f} of {lg['target_rate']:,.0f} msgs/s  " + common
              + f"p50 {lg['p50_us']:,.0f} p99 {lg['p99_us']:,.0f} p99.9 {lg['p999_us']:,.0f} us  "
              + f"send lag p99 {lg['send_lag_p99_us']:,.0f} us  " + verdict, flush=True)
    else:
        unit = "deliveries/s" if lg.get("mode") == "broadcast" else "msgs/s"
        print(head + f"{lg['msgs_per_sec']:>10,.0f} {unit}  " + common + f"p99 {lg['p99_us']:,.0f} us  " + verdict,
              flush=True)


def fmt(v, spec=",.0f"):
    return "-" if v is None else format(v, spec)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def status(r):
    if r.get("skipped"):
        return "skipped: " + r["skipped"]
    return "ok" if r["valid"] else "INVALID: " + "; ".join(r["invalid_reasons"])


def rounds_note(recs, server, valid):
    """'(N valid rounds)', or why there are none when every run of the peer was skipped."""
    mine = [r for r in recs if r["server"] == server]
    if mine and all(r.get("skipped") for r in mine):
        return f"(skipped: {mine[0]['skipped']})"
    return f"({valid} valid rounds)"


def idle_table(recs, final, servers, w):
    n = recs[0]["requested"]
    print(f"== idle: {n:,} idle upgraded connections; growth of the server's memory per connection")
    print(f"{'round':>5} {'server':<{w}} {'RSS B/conn':>11} {'heap B/conn':>12} {'RSS before MiB':>15} "
          f"{'RSS after MiB':>14}  status")
    for r in recs:
        print(f"{r['round']:>5} {r['server']:<{w}} {fmt(r.get('rss_bytes_per_conn')):>11} "
              f"{fmt(r.get('heap_bytes_per_conn')):>12} "
              f"{fmt((r.get('rss_kb_before') or 0) / 1024, ',.1f'):>15} "
              f"{fmt((r.get('rss_kb_after') or 0) / 1024, ',.1f'):>14}  {status(r)}")
    summary = {}
    for server in servers:
        ok = [r for (rnd, s), r in sorted(final.items()) if s == server and r["valid"]]
        m = {"valid_rounds": len(ok),
             "rss_bytes_per_conn": median([r.get("rss_bytes_per_conn") for r in ok]),
             "heap_bytes_per_conn": median([r.get("heap_bytes_per_conn") for r in ok])}
        summary[server] = m
        print(f"{'median':>5} {server:<{w}} {fmt(m['rss_bytes_per_conn']):>11} {fmt(m['heap_bytes_per_conn']):>12}"
              f"   ({len(ok)} valid rounds)")
    return summary


def throughput_table(scenario, recs, final, servers, meta, w):
    """echo16, echo1k and broadcast: messages (deliveries) per second and per server CPU-second."""
    lg0 = next((r["loadgen"] for r in recs if r.get("loadgen")), {}) or {}
    if scenario == "broadcast":
        print(f"== broadcast: 1 publisher ({lg0.get('inflight', '?')} messages outstanding) and "
              f"{lg0.get('subscribers', '?')} subscribers, {lg0.get('size', '?')} B text; msgs = deliveries "
              f"(the publisher's own copies included), latency = delivery time minus the send time in the payload; "
              f"{meta['duration']} s measured after {meta['warmup']} s warm-up")
    else:
        print(f"== {scenario}: echo of {lg0.get('size', '?')} B {lg0.get('type', '')} messages, "
              f"{lg0.get('connections', '?')} connections x {lg0.get('inflight', '?')} in flight, "
              f"{meta['duration']} s measured after {meta['warmup']} s warm-up")
    print(f"{'round':>5} {'server':<{w}} {'msgs/s':>10} {'srv CPU-s':>9} {'srv cores':>9} {'msgs/CPU-s':>11} "
          f"{'gen cores':>9} {'srv wait':>8} {'p50 us':>8} {'p99 us':>8} {'vs netty':>8} {'/CPU-s':>7}  status")
    ratios = {}
    for r in recs:
        lg = r.get("loadgen") or {}
        base = final.get((r["round"], BASELINE))
        ratio = ratio_cpu = None
        if r["valid"] and base and base["valid"] and final.get((r["round"], r["server"])) is r:
            ratio = lg["msgs_per_sec"] / base["loadgen"]["msgs_per_sec"]
            ratio_cpu = r["msgs_per_server_cpu_s"] / base["msgs_per_server_cpu_s"]
            ratios.setdefault(r["server"], []).append((ratio, ratio_cpu))
        print(f"{r['round']:>5} {r['server']:<{w}} {fmt(lg.get('msgs_per_sec')):>10} "
              f"{fmt(lg.get('server_cpu_s'), '.2f'):>9} {fmt(r.get('server_cores'), '.2f'):>9} "
              f"{fmt(r.get('msgs_per_server_cpu_s')):>11} {fmt(r.get('generator_cores'), '.2f'):>9} "
              f"{fmt(r.get('server_wait_cores'), '.2f'):>8} "
              f"{fmt(lg.get('p50_us'), ',.0f'):>8} {fmt(lg.get('p99_us'), ',.0f'):>8} "
              f"{fmt(ratio, '.2f'):>8} {fmt(ratio_cpu, '.2f'):>7}  {status(r)}")
    summary = {}
    for server in servers:
        ok = [r for (rnd, s), r in sorted(final.items()) if s == server and r["valid"]]
        m = {"valid_rounds": len(ok),
             "msgs_per_sec": median([r["loadgen"]["msgs_per_sec"] for r in ok]),
             "server_cpu_s": median([r["loadgen"]["server_cpu_s"] for r in ok]),
             "msgs_per_server_cpu_s": median([r["msgs_per_server_cpu_s"] for r in ok]),
             "p50_us": median([r["loadgen"]["p50_us"] for r in ok]),
             "p99_us": median([r["loadgen"]["p99_us"] for r in ok]),
             "ratio_to_netty": median([a for a, _ in ratios.get(server, [])]),
             "ratio_to_netty_per_cpu_s": median([b for _, b in ratios.get(server, [])])}
        summary[server] = m
        print(f"{'median':>5} {server:<{w}} {fmt(m['msgs_per_sec']):>10} {fmt(m['server_cpu_s'], '.2f'):>9} "
              f"{'':>9} {fmt(m['msgs_per_server_cpu_s']):>11} {'':>9} {'':>8} {fmt(m['p50_us'], ',.0f'):>8} "
              f"{fmt(m['p99_us'], ',.0f'):>8} {fmt(m['ratio_to_netty'], '.2f'):>8} "
              f"{fmt(m['ratio_to_netty_per_cpu_s'], '.2f'):>7}  {rounds_note(recs, server, len(ok))}")
    return summary


def latency_table(recs, final, servers, meta, w):
    """latency: round trips at a fixed rate; the ratio is p99 / Netty's p99 (lower is better)."""
    lg0 = next((r["loadgen"] for r in recs if r.get("loadgen")), {}) or {}
    print(f"== latency: {lg0.get('connections', '?')} connections, {lg0.get('size', '?')} B text at a fixed total "
          f"rate, open loop (round trips from the scheduled send time); {meta['duration']} s measured after "
          f"{meta.get('latency_warmup', meta['warmup'])} s warm-up; bursts of {meta.get('burst', 1)} per connection, "
          f"tick {meta.get('tick_us', 10)} us")
    print(f"{'round':>5} {'server':<{w}} {'target/s':>9} {'msgs/s':>9} {'srv cores':>9} {'msgs/CPU-s':>11} "
          f"{'p50 us':>9} {'p99 us':>10} {'p99.9 us':>10} {'max us':>10} {'lag p99':>8} {'p99 vs netty':>12}  status")
    ratios = {}
    for r in recs:
        lg = r.get("loadgen") or {}
        base = final.get((r["round"], BASELINE))
        ratio = None
        if r["valid"] and base and base["valid"] and final.get((r["round"], r["server"])) is r \
                and base["loadgen"]["p99_us"] > 0:
            ratio = lg["p99_us"] / base["loadgen"]["p99_us"]
            ratios.setdefault(r["server"], []).append(ratio)
        print(f"{r['round']:>5} {r['server']:<{w}} {fmt(lg.get('target_rate')):>9} {fmt(lg.get('msgs_per_sec')):>9} "
              f"{fmt(r.get('server_cores'), '.2f'):>9} {fmt(r.get('msgs_per_server_cpu_s')):>11} "
              f"{fmt(lg.get('p50_us')):>9} {fmt(lg.get('p99_us')):>10} {fmt(lg.get('p999_us')):>10} "
              f"{fmt(lg.get('max_us')):>10} {fmt(lg.get('send_lag_p99_us')):>8} {fmt(ratio, '.2f'):>12}  {status(r)}")
    summary = {}
    for server in servers:
        ok = [r for (rnd, s), r in sorted(final.items()) if s == server and r["valid"]]
        m = {"valid_rounds": len(ok),
             "target_rate": median([r["loadgen"]["target_rate"] for r in ok]),
             "msgs_per_sec": median([r["loadgen"]["msgs_per_sec"] for r in ok]),
             "msgs_per_server_cpu_s": median([r["msgs_per_server_cpu_s"] for r in ok]),
             "p50_us": median([r["loadgen"]["p50_us"] for r in ok]),
             "p99_us": median([r["loadgen"]["p99_us"] for r in ok]),
             "p999_us": median([r["loadgen"]["p999_us"] for r in ok]),
             "p99_ratio_to_netty": median(ratios.get(server, []))}
        summary[server] = m
        print(f"{'median':>5} {server:<{w}} {fmt(m['target_rate']):>9} {fmt(m['msgs_per_sec']):>9} {'':>9} "
              f"{fmt(m['msgs_per_server_cpu_s']):>11} {fmt(m['p50_us']):>9} {fmt(m['p99_us']):>10} "
              f"{fmt(m['p999_us']):>10} {'':>10} {'':>8} {fmt(m['p99_ratio_to_netty'], '.2f'):>12}  "
              f"{rounds_note(recs, server, len(ok))}")
    return summary


def report(runs_path, meta_path, out_path):
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    with open(runs_path, encoding="utf-8") as f:
        runs = [json.loads(line) for line in f if line.strip()]
    for rec in runs:
        rec["valid"], rec["invalid_reasons"] = derive(rec)
    w = max([8] + [len(s) for s in meta["servers"]])
    summary = {}
    for scenario in meta["scenarios"]:
        recs = [r for r in runs if r["scenario"] == scenario]
        if not recs:
            continue
        # The last attempt of each (round, server) counts: earlier ones were retried because INVALID.
        final = {}
        for r in recs:
            final[(r["round"], r["server"])] = r
        print()
        if scenario == "idle":
            summary[scenario] = idle_table(recs, final, meta["servers"], w)
        elif scenario == "latency":
            summary[scenario] = latency_table(recs, final, meta["servers"], meta, w)
        else:
            summary[scenario] = throughput_table(scenario, recs, final, meta["servers"], meta, w)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "summary": summary, "runs": runs}, f, indent=1)
        f.write("\n")
    print(f"\nresults: {out_path}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "line":
        line(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
