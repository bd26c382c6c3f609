#!/usr/bin/env bash
# Benchmark: generate sample data at a scale and time a one-pass backfill over it.
# Usage: bench/run.sh [SCALE] [DAYS]   (defaults 1 and 365). Appends a result file under bench/results/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scale="${1:-1}"
days="${2:-365}"
start=2026-01-01
end=$(date -u -d "$start + $((days - 1)) days" +%F)
work="bench/work/scale-$scale-days-$days"
out=$(result_file "scale-$scale-days-$days")
rm -rf "$work"
gen_s=$( { time bin/tobwh generate --out "$work/landing" --scale "$scale" --days "$days" --start "$start" \
  > "$work.generate.log" 2>&1; } 2>&1 )
run_s=$( { time bin/tobwh run --from "$start" --to "$end" --landing "$work/landing" --warehouse "$work/warehouse" \
  > "$work.run.log" 2>&1; } 2>&1 )
{
  echo "# Backfill benchmark: scale $scale, $days days"
  echo
  run_line
  echo "- \`bin/tobwh generate --out $work/landing --scale $scale --days $days --start $start\`: ${gen_s} s"
  echo "- \`bin/tobwh run --from $start --to $end --landing $work/landing --warehouse $work/warehouse\`: ${run_s} s"
  echo
  echo '```'
  grep -E 'read .* lines|^  (bronze|silver|gold|total)|top 20%' "$work.run.log"
  echo '```'
} > "$out"
cat "$out"
