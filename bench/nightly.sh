#!/usr/bin/env bash
# Benchmark: what a nightly incremental run costs against the full rebuild it replaces, over a long history.
# Usage: bench/nightly.sh [SCALE] [DAYS] [NIGHTS] [CONFIG]   (defaults 1, 365, 2, none)
# CONFIG: a pipeline config file (YAML/JSON) every run takes, e.g. to compare a setting against the defaults.
# Generates DAYS of sample data (seed 42), backfills all but the last NIGHTS days, runs each remaining day as a
# nightly `run --date`, then rebuilds everything with `--full-refresh`; writes bench/results/<date>-nightly-….md
# with the commands, wall times and each night's job modes (by_key / full / skipped) from ops.run_log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scale="${1:-1}"
days="${2:-365}"
nights="${3:-2}"
config="${4:-}"
start=2026-01-01
end=$(date -u -d "$start + $((days - 1)) days" +%F)
last_backfill=$(date -u -d "$end - $nights days" +%F)
work="bench/work/nightly-scale-$scale-days-$days"
out=$(result_file "nightly-scale-$scale-days-$days${config:+-$(basename "${config%.*}")}")
rm -rf "$work" && mkdir -p "$work"
wh=(--landing "$work/landing" --warehouse "$work/warehouse")
if [[ -n "$config" ]]; then
  cp "$config" "$work/config.${config##*.}"
  wh+=(--config "$work/config.${config##*.}")
fi
gen_s=$(timed "$work/generate.log" bin/tobwh generate --out "$work/landing" --scale "$scale" --days "$days" --start "$start")
backfill_s=$(timed "$work/backfill.log" bin/tobwh run --from "$start" --to "$last_backfill" "${wh[@]}")
night_lines=()
d=$(date -u -d "$last_backfill + 1 day" +%F)
while [[ "$d" < "$end" || "$d" == "$end" ]]; do
  s=$(timed "$work/night-$d.log" bin/tobwh run --date "$d" "${wh[@]}")
  night_lines+=("- \`bin/tobwh run --date $d ${wh[*]}\`: ${s} s")
  d=$(date -u -d "$d + 1 day" +%F)
done
full_s=$(timed "$work/full.log" bin/tobwh run --from "$start" --to "$end" --full-refresh "${wh[@]}")
modes=$(bin/tobwh sql --warehouse "$work/warehouse" "select run_id, count_if(mode = 'by_key') as by_key, \
  count_if(mode = 'full') as full, count_if(mode = 'skipped') as skipped, \
  round(sum(case when job like 'gold.mart%' then duration_ms end) / 1000, 1) as marts_s, \
  round(max(case when job = 'gold.fct_touches' then duration_ms end) / 1000, 1) as fct_touches_s, \
  round(sum(read_bytes) / 1048576, 1) as read_mb, sum(read_rows) as read_rows, \
  max(case when job = 'gold.fct_touches' then message end) as fct_touches_scope \
  from ops.run_log where job not like 'maintain:%' group by run_id order by min(started_at)" 2>/dev/null)
# The last night's jobs against the same jobs in the full refresh (the two latest runs).
per_job=$(bin/tobwh sql --warehouse "$work/warehouse" "with runs as (select run_id, row_number() over (order by \
  min(started_at) desc) as n from ops.run_log where job not like 'maintain:%' group by run_id) \
  select r.job, r.mode, round(r.duration_ms / 1000, 1) as night_s, r.rows_out, \
  round(f.duration_ms / 1000, 1) as full_s, f.rows_out as full_rows, \
  r.read_rows as night_read_rows, f.read_rows as full_read_rows, \
  round(r.read_bytes / 1048576, 2) as night_read_mb, round(f.read_bytes / 1048576, 2) as full_read_mb \
  from ops.run_log r join runs rn on r.run_id = rn.run_id and rn.n = 2 \
  join ops.run_log f on f.job = r.job join runs fn on f.run_id = fn.run_id and fn.n = 1 \
  order by r.duration_ms desc" 2>/dev/null)
{
  echo "# Nightly incremental run vs full rebuild: scale $scale, $days days, $nights nights"
  echo
  run_line
  echo "- \`bench/nightly.sh $scale $days $nights${config:+ $config}\`"
  if [[ -n "$config" ]]; then
    echo "- config \`$config\`:"
    echo
    sed 's/^/    /' "$config"
    echo
  fi
  echo "- \`bin/tobwh generate --out $work/landing --scale $scale --days $days --start $start\`: ${gen_s} s"
  echo "- backfill \`bin/tobwh run --from $start --to $last_backfill ${wh[*]}\`: ${backfill_s} s"
  printf '%s\n' "${night_lines[@]}"
  echo "- \`bin/tobwh run --from $start --to $end --full-refresh ${wh[*]}\`: ${full_s} s"
  echo
  echo "Job modes per run (ops.run_log; marts_s and fct_touches_s are job durations, jobs overlap; read_mb and"
  echo "read_rows: the data files the run's jobs scanned, after Delta's file pruning, and the rows scanned from them):"
  echo
  echo '```'
  echo "$modes"
  echo '```'
  echo
  echo "The last night's jobs against the same jobs in the full refresh (rows_out of a by-key job is the rows it"
  echo "rebuilt; jobs overlap, so durations are not additive; *_read_*: data files scanned, as above):"
  echo
  echo '```'
  echo "$per_job"
  echo '```'
} > "$out"
cat "$out"
