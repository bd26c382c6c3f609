#!/usr/bin/env bash
# Benchmark: what a night's rebuild by key writes, rewriting the files that hold the keys (tables below
# keyedMergeMinTableMb) against merging only the changed rows (deletion vectors, tables above it).
# Usage: bench/keyed-writes.sh [SCALE] [DAYS]   (defaults 0.5, 180)
# Generates DAYS of sample data (seed 42), backfills all but the last day, copies the warehouse, and runs the last
# day as a nightly `run --date` once per write strategy on its own copy; writes bench/results/<date>-keyed-writes-….md
# with wall times, the by-key jobs' durations (ops.run_log) and what each by-key table's commit wrote (_delta_log).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scale="${1:-0.5}"
days="${2:-180}"
start=2026-01-01
night=$(date -u -d "$start + $((days - 1)) days" +%F)
backfill_to=$(date -u -d "$night - 1 day" +%F)
work="bench/work/keyed-writes-scale-$scale-days-$days"
out=$(result_file "keyed-writes-scale-$scale-days-$days")
rm -rf "$work" && mkdir -p "$work"
printf 'keyedMergeMinTableMb: 0\n' > "$work/merge.yaml"
bin/tobwh generate --out "$work/landing" --scale "$scale" --days "$days" --start "$start" > "$work/generate.log" 2>&1
backfill_s=$(timed "$work/backfill.log" bin/tobwh run --from "$start" --to "$backfill_to" \
  --landing "$work/landing" --warehouse "$work/base")
cp -r "$work/base" "$work/rewrite"
cp -r "$work/base" "$work/merge"
rewrite_s=$(timed "$work/rewrite.log" bin/tobwh run --date "$night" --landing "$work/landing" --warehouse "$work/rewrite")
merge_s=$(timed "$work/merge.log" bin/tobwh run --date "$night" --landing "$work/landing" --warehouse "$work/merge" \
  --config "$work/merge.yaml")
jobs_of() {
  bin/tobwh sql --warehouse "$1" "select job, mode, round(duration_ms / 1000, 1) as seconds from ops.run_log \
    where run_id = (select max(run_id) from ops.run_log) and mode = 'by_key' order by started_at" 2>/dev/null
}
# The last commit of each by-key table: what it wrote and what it carried over from the files it replaced.
commits_of() {
  python3 - "$1" <<'EOF'
import glob, json, sys
wh = sys.argv[1]
print(f"{'table':34} {'operation':9} {'rows in':>8} {'written':>8} {'deleted':>8} {'copied':>8} "
      f"{'files -':>7} {'DVs +':>5} {'bytes written':>13}")
for t in ["silver/stg_web_traffic__events", "silver/int_identity__stitched", "silver/int_sessions__sessionized",
          "silver/int_touches__combined", "gold/fct_sessions", "gold/fct_touches"]:
    last = sorted(glob.glob(f"{wh}/{t}/_delta_log/*.json"))[-1]
    info = next(json.loads(l)["commitInfo"] for l in open(last) if "commitInfo" in l)
    m = info.get("operationMetrics", {})
    g = lambda *ks: next((m[k] for k in ks if k in m), "-")
    print(f"{t:34} {info['operation']:9} {g('numSourceRows'):>8} {g('numTargetRowsInserted', 'numOutputRows'):>8} "
          f"{g('numTargetRowsDeleted', 'numDeletedRows'):>8} {g('numTargetRowsCopied', 'numCopiedRows'):>8} "
          f"{g('numTargetFilesRemoved', 'numRemovedFiles'):>7} {g('numTargetDeletionVectorsAdded'):>5} "
          f"{g('numTargetBytesAdded', 'numOutputBytes'):>13}")
EOF
}
{
  echo "# Nightly rebuild by key: rewrite the files holding the keys vs merge the changed rows (scale $scale, $days days)"
  echo
  run_line
  echo "- \`bench/keyed-writes.sh $scale $days\`"
  echo "- backfill \`bin/tobwh run --from $start --to $backfill_to --landing $work/landing --warehouse $work/base\`: ${backfill_s} s"
  echo "- rewrite (default config; every sample table is below keyedMergeMinTableMb) \`bin/tobwh run --date $night --landing $work/landing --warehouse $work/rewrite\`: ${rewrite_s} s"
  echo "- merge \`bin/tobwh run --date $night --landing $work/landing --warehouse $work/merge --config $work/merge.yaml\` (keyedMergeMinTableMb: 0): ${merge_s} s"
  echo
  echo "By-key jobs, rewrite:"
  echo '```'
  jobs_of "$work/rewrite"
  echo '```'
  echo "By-key jobs, merge:"
  echo '```'
  jobs_of "$work/merge"
  echo '```'
  echo "What each by-key table's commit wrote, rewrite (rows in: the merge's source rows; written: rows in new files, a rewrite's include the copied ones; copied: unchanged rows rewritten because they share a file with a changed key):"
  echo '```'
  commits_of "$work/rewrite"
  echo '```'
  echo "Merge:"
  echo '```'
  commits_of "$work/merge"
  echo '```'
} > "$out"
cat "$out"
