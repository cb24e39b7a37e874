#!/usr/bin/env python3
"""Where a test run's time goes, per test class, from a .trx file (dotnet test --logger trx):
    python3 scripts/trx-classes.py TestResults/*.trx [TOP]
Prints each class's summed test durations (the work: tests of a class run one after another), its span from the first
test's start to the last one's end (the wall time it occupied while other classes ran beside it) and its test count."""
import sys, re, datetime
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

def when(s):
    # 2026-12-07T05:30:12.1234567+00:00: Python wants at most six digits of fraction
    s = re.sub(r"(\.\d{6})\d+", r"\1", s)
    return datetime.datetime.fromisoformat(s)

def seconds(d):
    h, m, s = d.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)

files = [a for a in sys.argv[1:] if a.endswith(".trx")]
top = int(next((a for a in sys.argv[1:] if a.isdigit()), "25"))
classes = {}
first = last = None
for f in files:
    root = ET.parse(f).getroot()
    owner = {u.get("id"): u.find("t:TestMethod", ns).get("className") for u in root.iterfind(".//t:UnitTest", ns)}
    for r in root.iterfind(".//t:UnitTestResult", ns):
        c = owner.get(r.get("testId"), "?")
        start, end = when(r.get("startTime")), when(r.get("endTime"))
        e = classes.setdefault(c, {"sum": 0.0, "start": start, "end": end, "n": 0, "failed": 0})
        e["sum"] += seconds(r.get("duration", "0:0:0"))
        e["start"], e["end"] = min(e["start"], start), max(e["end"], end)
        e["n"] += 1
        e["failed"] += r.get("outcome") == "Failed"
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
total = sum(e["sum"] for e in classes.values())
print(f"{len(classes)} classes, {sum(e['n'] for e in classes.values())} tests; summed test time {total:.0f} s; "
      f"first start to last end {(last - first).total_seconds():.0f} s")
print(f"{'class':60} {'sum s':>8} {'span s':>8} {'tests':>6}")
for c, e in sorted(classes.items(), key=lambda kv: -kv[1]["sum"])[:top]:
    name = c.replace("Reglament.Tests.", "")
    print(f"{name:60} {e['sum']:8.1f} {(e['end'] - e['start']).total_seconds():8.1f} {e['n']:6}" + (f"  ({e['failed']} failed)" if e["failed"] else ""))
