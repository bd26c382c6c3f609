# Shared by the bench scripts (sourced): run from the repository root with a freshly built jar, time commands, and
# name result files so that a run never overwrites a result recorded earlier the same day.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -B -q -DskipTests package
TIMEFORMAT='%R'

# timed LOG CMD...: runs CMD with its output in LOG and prints its wall time in seconds.
timed() { local log=$1; shift; { time "$@" > "$log" 2>&1; } 2>&1; }

# result_file NAME: bench/results/<today>-NAME.md, or -NAME-2.md, -NAME-3.md… when that exists already.
result_file() {
  local base="bench/results/$(date -u +%F)-$1" n=2 f
  f="$base.md"
  while [[ -e "$f" ]]; do f="$base-$n.md"; n=$((n + 1)); done
  echo "$f"
}

# The line every result starts with: when, which commit, on what machine.
run_line() {
  echo "- date: $(date -u +%FT%TZ); commit: $(git rev-parse --short HEAD); machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
}
