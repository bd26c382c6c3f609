#!/usr/bin/env bash
# A/B of one small night: each build backfilled-night 03-02 from the same snapshot, then 03-03 timed twice.
set -euo pipefail
L=/tmp/prof/w2/landing
for b in base new; do
  cd /tmp/ab-$b
  rm -rf w && mkdir w && cp -r /tmp/prof/w2/wh-0301 w/wh
  bin/tobwh run --date 2026-03-02 --landing $L --warehouse w/wh > w/night-0302.log 2>&1
  cp -r w/wh w/wh-0302
done
for trial in 1 2; do
  for b in base new; do
    cd /tmp/ab-$b
    rm -rf w/wh && cp -r w/wh-0302 w/wh
    s=$(date +%s.%N)
    bin/tobwh run --date 2026-03-03 --landing $L --warehouse w/wh > w/night-0303-$trial.log 2>&1
    e=$(date +%s.%N)
    echo "$b trial $trial: $(echo "$e - $s" | bc) s"
    bin/tobwh sql --warehouse w/wh "select job, mode, read_rows, message from ops.run_log where date_to = '2026-03-03' and job in ('gold.dim_date','gold.dim_channel') order by job" 2>/dev/null | grep -v "^+" 
    bin/tobwh sql --warehouse w/wh "select sum(read_rows) as rows, count(*) as jobs from ops.run_log where date_to = '2026-03-03' and job not like 'maintain:%'" 2>/dev/null | grep -v "^+"
    bin/tobwh sql --warehouse w/wh "select job, mode, rows_out, delta_version from ops.run_log where date_to = '2026-03-03' and job not like 'maintain:%' order by job" 2>/dev/null | md5sum
  done
done
