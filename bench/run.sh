#!/usr/bin/env bash
# Benchmark: generate sample data at a scale and time a one-pass backfill over it.
# Usage: bench/run.sh [SCALE] [DAYS]   (defaults 1 and 365). Appends a result file under bench/results/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
scale="${1:-1}"
days="${2:-365}"
start=2026-01-01
end=$(date -u -d "$start + $((days - 1)) days" +%F)
work="bench/work/scale-$scale-days-$days"
out="bench/results/$(date -u +%F)-scale-$scale-days-$days.md"
mvn -B -q -DskipTests package
rm -rf "$work"
TIMEFORMAT='%R'
gen_s=$( { time bin/tobwh generate --out "$work/landing" --scale "$scale" --days "$days" --start "$start" \
  > "$work.generate.log" 2>&1; } 2>&1 )
run_s=$( { time bin/tobwh run --from "$start" --to "$end" --landing "$work/landing" --warehouse "$work/warehouse" \
  > "$work.run.log" 2>&1; } 2>&1 )
{
  echo "# Backfill benchmark: scale $scale, $days days"
  echo
  echo "- date: $(date -u +%FT%TZ); commit: $(git rev-parse --short HEAD); machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "- \`bin/tobwh generate --out $work/landing --scale $scale --days $days --start $start\`: ${gen_s} s"
  echo "- \`bin/tobwh run --from $start --to $end --landing $work/landing --warehouse $work/warehouse\`: ${run_s} s"
  echo
  echo '```'
  grep -E 'read .* lines|^  (bronze|silver|gold|total)|top 20%' "$work.run.log"
  echo '```'
} > "$out"
cat "$out"
