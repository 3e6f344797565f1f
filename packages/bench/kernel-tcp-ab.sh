#!/usr/bin/env bash
# Before/after for kernel-tcp.ts (issue 11): our sender from another checkout (BEFORE, e.g. a
# `git worktree add ../before <commit>` with its dependencies installed) against this tree's,
# and the kernel senders of this tree's bench on the same path, interleaved run by run:
# for each run and delay, BEFORE's `--direction we-send`, then this tree's `--direction
# we-send,kernel-to-kernel,kernel-sends`. Prints one JSON line per transfer and a median table.
# Root, /dev/net/tun, ip netns, nft, ethtool, python3 (as kernel-tcp.ts).
#
#   sudo packages/bench/kernel-tcp-ab.sh BEFORE_DIR [RUNS=5] [DELAYS=0,10] [PROFILE=linux]
set -euo pipefail
before=${1:?usage: kernel-tcp-ab.sh BEFORE_DIR [RUNS] [DELAYS] [PROFILE]}
runs=${2:-5}
delays=${3:-0,10}
profile=${4:-linux}
here=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
bench() { (cd "$1" && npx tsx --conditions=netlayers-source packages/bench/src/kernel-tcp.ts --runs 1 --delay "$2" --profile "$profile" --direction "$3") | grep '^{' | sed "s/^{/{\"tree\":\"$4\",/" | tee -a "$out"; }
for run in $(seq "$runs"); do
  for delay in ${delays//,/ }; do
    bench "$before" "$delay" we-send before
    bench "$here" "$delay" we-send,kernel-to-kernel,kernel-sends after
  done
done
uptime
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const med = (v) => { const s = [...v].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const sum = (rs, k) => rs.reduce((n, r) => n + r[k], 0);
const label = { "we-send": "ours → kernel", "kernel-to-kernel": "kernel → kernel", "kernel-sends": "kernel → ours" };
console.log("| delay | sender → receiver | code | median s | min–max s | runs (s) | exact | sender retx / RTOs / undos / TLPs | kernel receiver DelayedACKs |");
console.log("|---|---|---|---|---|---|---|---|---|");
const keys = [...new Set(rows.map((r) => `${r.delayMs}|${r.direction}|${r.tree}`))];
for (const k of keys) {
  const [d, dir, tree] = k.split("|");
  const rs = rows.filter((r) => `${r.delayMs}|${r.direction}|${r.tree}` === k);
  const s = rs.map((r) => r.seconds);
  const code = dir === "we-send" ? tree : "—";
  console.log(`| ${d} ms | ${label[dir]} | ${code} | ${med(s).toFixed(2)} | ${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)} | ${s.map((x) => x.toFixed(2)).join(", ")} | ${rs.every((r) => r.exact) ? "yes" : "NO"} | ${sum(rs, "retransmissions")} / ${sum(rs, "timeouts")} / ${sum(rs, "spuriousUndos")} / ${sum(rs, "tailLossProbes")} | ${dir === "kernel-sends" ? "—" : sum(rs, "kernelDelayedAcks")} |`);
}
' "$out"
rm -f "$out"
