#!/usr/bin/env bash
# Fuzzes every fuzz_* binary in a folder for a number of seconds each, each on a throw-away
# copy of its seed corpus (tests/fuzz/corpus/<name without fuzz_>), so the checked-in corpus
# only changes by hand: add the reproducer of every bug fixed. Crashing inputs are kept in
# <folder>/artifacts/<name>/. Extra libFuzzer flags may be given in FUZZ_ARGS.
#
# usage: scripts/fuzz.sh FUZZ_BIN_DIR SECONDS
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 FUZZ_BIN_DIR SECONDS" >&2
  exit 2
fi
bin_dir=$(cd "$1" && pwd)
seconds=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
read -r -a extra <<<"${FUZZ_ARGS:-}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
found=0
for bin in "$bin_dir"/fuzz_*; do
  [[ -f $bin && -x $bin ]] || continue
  found=1
  name=$(basename "$bin")
  name=${name#fuzz_}
  corpus=$work/corpus/$name
  mkdir -p "$corpus"
  if [[ -d $repo/tests/fuzz/corpus/$name ]]; then
    cp -R "$repo/tests/fuzz/corpus/$name/." "$corpus/"
  fi
  artifacts=$bin_dir/artifacts/$name
  mkdir -p "$artifacts"
  log=$work/$name.log
  if "$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "${extra[@]}" "$corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "$name: ${runs:-?} executions in ${seconds}s, no failure"
  else
    status=1
    echo "$name: FAILED; crashing inputs are in $artifacts"
    tail -n 40 "$log"
  fi
done

if [[ $found -eq 0 ]]; then
  echo "no fuzz_* binaries in $bin_dir" >&2
  exit 2
fi
exit $status
