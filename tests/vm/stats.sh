#!/bin/sh
# The stats of a scheduler declared once (samples/simple: SCXX_STATS in simple.h), read by clients
# scxx did not write: JSON lines parsed by Python's json module, the metrics file checked by
# Prometheus' promtool and scraped through a real node_exporter (textfile collector, loopback);
# the scx_stats socket spoken to by a Python client (refused to an unprivileged user and to a
# second instance) and read by --monitor; the text table a person reads; --help-stats; and the
# plot of the JSON lines (tools/scxx-plot-stats, gnuplot). Bad output options fail clearly, leaving
# nothing attached.
# usage: stats.sh PATH_TO_SIMPLE
. "$(dirname "$0")/lib.sh"
bin=$1
dir=$(mktemp -d)
sched_out=$dir/out

# JSON lines and the metrics file, under a workload.
"$bin" --stats 0.3 --stats-format json --metrics-file "$dir/scx.prom" --duration 3 >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
hackbench -g 2 -l 50 >/dev/null 2>&1 || fail "hackbench failed"
wait $pid || fail "simple exited $? with --stats-format json --metrics-file"
python3 - "$sched_out" <<'EOF' || fail "the JSON lines are not what they should be"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("{")]
records = [json.loads(l) for l in lines]
assert len(records) >= 5, f"only {len(records)} JSON lines in 3 s at 0.3 s"
for r in records:
    assert r["scheduler"] == "simple" and isinstance(r["time"], float), r
    for key in ("direct", "enqueued", "dispatched", "kept"):
        assert isinstance(r["stats"][key], int), (key, r)
enq = [r["stats"]["enqueued"] + r["stats"]["direct"] for r in records]
assert enq == sorted(enq) and enq[-1] > enq[0], f"the counters did not grow: {enq}"
# The kernel's event counters while attached (the last line, after detach, has none: sysfs
# drops them with the scheduler).
events = records[-2]["stats"].get("kernel_events", {})
assert isinstance(events, dict) and len(events) >= 5, events
assert all(isinstance(v, int) for v in events.values()), events
print(f"ok: {len(records)} JSON lines, decisions {enq[0]} -> {enq[-1]}, {len(events)} kernel events")
EOF
# The picture: scxx-plot-stats draws the same JSON lines with gnuplot (rates of the counters).
plot="$(dirname "$0")/../../tools/scxx-plot-stats"
"$plot" "$sched_out" -o "$dir/stats.png" >"$dir/plot.log" 2>&1 || fail "scxx-plot-stats failed: $(cat "$dir/plot.log")"
[ "$(head -c 8 "$dir/stats.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "scxx-plot-stats wrote no PNG"
[ "$(stat -c %s "$dir/stats.png")" -gt 5000 ] || fail "the plot is too small to hold the lines: $(stat -c %s "$dir/stats.png") bytes"
grep '^{' "$sched_out" | head -n 1 >"$dir/one.json"
if "$plot" "$dir/one.json" >"$dir/plot.log" 2>&1 || ! grep -q "has 1 line(s) of stats; a plot needs two" "$dir/plot.log"; then
  fail "scxx-plot-stats did not refuse a single line clearly: $(cat "$dir/plot.log")"
fi
echo "ok: scxx-plot-stats drew $(stat -c %s "$dir/stats.png") bytes of PNG and refuses a single line"
[ -s "$dir/scx.prom" ] || fail "no metrics file"
promtool check metrics <"$dir/scx.prom" || fail "promtool rejects the metrics file"
echo "ok: promtool check metrics accepts it:"
sed 's/^/  | /' "$dir/scx.prom" | head -n 12
ls -a "$dir" | grep -q '\.tmp\.' && fail "a temporary metrics file was left behind"

# node_exporter's textfile collector on loopback serves the same numbers.
busybox ip link set lo up
prometheus-node-exporter --web.listen-address=127.0.0.1:9109 --collector.disable-defaults --collector.textfile \
  --collector.textfile.directory="$dir" >"$dir/node_exporter.log" 2>&1 &
exporter=$!
python3 - "$dir/scx.prom" <<'EOF' || { kill $exporter; cat "$dir/node_exporter.log"; fail "node_exporter did not serve the metrics"; }
import sys, time, urllib.request
want = [l.split()[0] for l in open(sys.argv[1]) if l.startswith("scx_enqueued_total")]
body = ""
for _ in range(100):
    try:
        body = urllib.request.urlopen("http://127.0.0.1:9109/metrics", timeout=2).read().decode()
        break
    except OSError:
        time.sleep(0.1)
lines = body.splitlines()
assert "node_textfile_scrape_error 0" in lines, "node_exporter reports a textfile scrape error"
served = [l for l in lines if l.startswith("scx_enqueued_total{")]
assert served and served[0].split()[0] == want[0], (served, want)
assert int(float(served[0].split()[1])) > 0, served
print("ok: node_exporter serves", served[0])
EOF
kill $exporter
wait $exporter 2>/dev/null

# The text a person reads: aligned rows, counters with their rates.
"$bin" --stats 0.3 --duration 1.5 >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
hackbench -g 2 -l 20 >/dev/null 2>&1
wait $pid || fail "simple exited $? with --stats"
grep -q '^simple stats:$' "$sched_out" || fail "no stats table"
grep -Eq '^  enqueued +[0-9]+ +[0-9.]+/s  tasks queued on the shared queue$' "$sched_out" \
  || fail "the enqueued row has no rate or description"
[ "$(counter "$sched_out" enqueued)" -gt 0 ] || fail "nothing enqueued"
echo "ok: the text table, e.g.:"
grep -A4 '^simple stats:$' "$sched_out" | tail -n 5 | sed 's/^/  | /'

# The scx_stats socket, read by an independent client (Python's socket and json).
sock=$dir/run/stats
# One run with every output at once (docs/stats.md shows it): the table, the metrics file, the socket.
"$bin" --stats 1 --metrics-file "$dir/all.prom" --stats-socket "$sock" --duration 12 >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
python3 - "$sock" <<'EOF' || fail "the stats socket does not speak scx_stats' protocol"
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile()
def ask(req):
    s.sendall((req if isinstance(req, str) else json.dumps(req)).encode() + b"\n")
    return json.loads(f.readline())
meta = ask({"req": "stats_meta", "args": {}})
assert meta["errno"] == 0, meta
top = meta["args"]["resp"]["simple"]
assert top["top"] == "true" and top["fields"]["enqueued"]["datum"] == "u64", top
assert top["fields"]["enqueued"]["desc"] == "tasks queued on the shared queue", top
assert top["fields"]["kernel_events"]["dict"] == {"key": "string", "datum": "u64"}, top
first = ask({"req": "stats", "args": {"target": "top"}})
assert first["errno"] == 0 and isinstance(first["args"]["resp"]["enqueued"], int), first
bad = ask("{not json")
assert bad["errno"] == 22 and bad["args"]["resp"].startswith("malformed request"), bad
unknown = ask({"req": "reset"})
assert unknown["errno"] == 22, unknown
time.sleep(2.5)
later = ask({"req": "stats"})  # the same connection still serves, with newer numbers
a, b = first["args"]["resp"], later["args"]["resp"]
assert b["enqueued"] + b["direct"] > a["enqueued"] + a["direct"], (a, b)
print(f"ok: scx_stats protocol: {len(top['fields'])} fields described; decisions "
      f"{a['enqueued'] + a['direct']} -> {b['enqueued'] + b['direct']}; a malformed request got errno 22 "
      "and the server kept serving")
EOF
[ "$(stat -c %a "$sock")" = 600 ] && [ "$(stat -c %a "$dir/run")" = 700 ] || fail "the socket or its directory is not private"
setpriv --reuid=65534 --regid=65534 --clear-groups python3 -c '
import socket, sys
try:
    socket.socket(socket.AF_UNIX).connect(sys.argv[1])
except PermissionError:
    sys.exit(0)
sys.exit(1)' "$sock" || fail "an unprivileged user could connect to the stats socket"
echo "ok: user 65534 cannot connect (socket 0600 in a 0700 directory)"
# --monitor: a second invocation reads the running one.
"$bin" --monitor 1 --stats-socket "$sock" --duration 3.5 >"$dir/monitor" 2>&1 || { cat "$dir/monitor"; fail "--monitor failed"; }
[ "$(grep -c "^simple stats (from $sock):\$" "$dir/monitor")" -ge 2 ] || { cat "$dir/monitor"; fail "--monitor printed too few tables"; }
grep -Eq '^  enqueued +[0-9]+ +[0-9.]+/s  tasks queued on the shared queue$' "$dir/monitor" \
  || { cat "$dir/monitor"; fail "--monitor shows no rates"; }
echo "ok: --monitor reads the running scheduler:"
tail -n 5 "$dir/monitor" | sed 's/^/  | /'
"$bin" --stats-socket "$sock" --duration 1 >"$dir/second" 2>&1 && fail "a second instance took over the socket"
grep -q "another instance (PID $pid) serves its stats there" "$dir/second" || { cat "$dir/second"; fail "the second instance does not name the first"; }
echo "ok: $(grep -o 'another instance.*' "$dir/second")"
wait $pid || fail "simple exited $? with --stats-socket"
[ "$(grep -c '^simple stats:$' "$sched_out")" -ge 5 ] || fail "no stats tables beside the socket"
promtool check metrics <"$dir/all.prom" || fail "promtool rejects the metrics file written beside the socket"
[ -e "$sock" ] && fail "the socket was left behind"
"$bin" --monitor 0.5 --stats-socket "$sock" >"$dir/monitor" 2>&1 && fail "--monitor without a running scheduler succeeded"
grep -q "no scheduler serves its stats there: is it running with --stats-socket?" "$dir/monitor" \
  || { cat "$dir/monitor"; fail "no clear error from --monitor without a scheduler"; }

# Bad output options: a clear error; nothing attached afterwards.
"$bin" --metrics-file /nonexistent/dir/scx.prom --stats 0.2 --duration 1 >"$sched_out" 2>&1 && fail "a metrics file in a missing directory was accepted"
grep -q "cannot open its directory /nonexistent/dir" "$sched_out" || fail "no clear error for a missing metrics directory"
echo "ok: $(grep 'cannot open' "$sched_out")"
[ "$(cat $SCX/state)" = disabled ] || fail "state is '$(cat $SCX/state)' after the failed run"
"$bin" --stats-format xml >"$sched_out" 2>&1
[ $? = 2 ] || fail "--stats-format xml was not a usage error"
grep -q "is not a format: text or json" "$sched_out" || fail "no clear error for --stats-format xml"
rm -rf "$dir"
echo PASS
