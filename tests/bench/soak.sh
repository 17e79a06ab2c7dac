#!/usr/bin/env bash
# Soak: the full-screen UI (table, history, panes all live) under maximum
# loopback churn for SOAK seconds (default 600), its resident memory
# sampled every STEP seconds. Memory is steady when the last samples stay
# within a few percent of the one taken after the first minute, when the
# table's caps and linger have reached their working size.
set -eu
cd "$(dirname "$0")/../.."
secs=${SOAK:-600} step=${SOAK_STEP:-30}
[ "$(id -u)" = 0 ] || { echo "soak: needs root (live BPF); skipped"; exit 0; }
command -v tmux >/dev/null || { echo "soak: needs tmux; skipped"; exit 0; }
sock=socktop-soak-$$ err=$(mktemp /tmp/socktop-soak.XXXXXX)
trap 'tmux -L $sock kill-server 2>/dev/null || true; rm -f "$err"' EXIT
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 \
	"env TERM=tmux-256color LANG=C.UTF-8 SOCKTOP_THEMES=$PWD/themes ./socktop 2>$err"
pid=
for _ in $(seq 100); do
	pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}' 2>/dev/null | head -1)
	pid=$(pgrep -P "$pid" -x socktop || echo "$pid")
	tmux -L "$sock" capture-pane -p | grep -q 'ESTAB' && break
	sleep 0.1
done
[ -n "$pid" ] && [ -d "/proc/$pid" ] || { echo "soak: socktop did not start"; cat "$err"; exit 1; }
build/tools/churn "$secs" 28000 >"$err.churn" &
churn=$!
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat"; }
echo "soak: UI under maximum churn for ${secs} s, RSS (KiB) every ${step} s:"
samples=() t=0
while kill -0 "$churn" 2>/dev/null && [ $t -lt "$secs" ]; do
	sleep "$step"
	t=$((t + step))
	r=$(rss)
	samples+=("$r")
	printf '  %4d s  %8d KiB  cpu %6s s\n' "$t" "$r" "$(cpu)"
done
wait "$churn" || true
cat "$err.churn"
tmux -L "$sock" send-keys q
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
grep '^socktop:' "$err" || true
rm -f "$err.churn"
n=${#samples[@]}
if [ "$n" -ge 3 ]; then
	base=${samples[1]} last=${samples[$((n - 1))]} max=0
	for s in "${samples[@]:1}"; do [ "$s" -gt "$max" ] && max=$s; done
	echo "soak: RSS after ${step}x2 s ${base} KiB, at the end ${last} KiB, peak ${max} KiB" \
		"(growth $(((last - base) * 100 / base))% after the warm-up)"
fi
