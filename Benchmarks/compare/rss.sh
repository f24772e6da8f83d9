#!/usr/bin/env bash
# Runs a command and samples its resident memory from outside (VmRSS in /proc/PID/status) every 50 ms.
# Prints the peak and, with RSS_LOG=FILE, writes "seconds kB" lines to FILE. The command's own output is kept.
#   Benchmarks/compare/rss.sh .build/release/zoo compare --sizes 60k --seeds 1 --epochs 1 --out /tmp/rss
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
log="${RSS_LOG:-/dev/null}"
"$@" &
pid=$!
peak=0
start=$(date +%s.%N)
: > "$log"
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$rss" ]; then
        [ "$rss" -gt "$peak" ] && peak=$rss
        [ "$log" = /dev/null ] || echo "$(echo "$(date +%s.%N) - $start" | bc) $rss" >> "$log"
    fi
    sleep 0.05
done
status=0
wait "$pid" || status=$?
echo "peak VmRSS sampled every 50 ms: $((peak / 1024)) MB (exit status $status)" >&2
exit "$status"
