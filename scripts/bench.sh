#!/usr/bin/env bash
# Full-build benchmark: Gazette against Hugo on the same bilingual content.
# Usage: scripts/bench.sh [PAGES_PER_LANGUAGE]   (default 5000)
# Needs: hyperfine and hugo (apt-get install hyperfine hugo).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-5000}
work=${BENCH_DIR:-/tmp/gazette-bench}
mkdir -p "$work"
cargo build --release --quiet
python3 scripts/gen-bench-site.py "$work/gazette" --pages "$pages"
python3 scripts/gen-bench-site.py "$work/hugo" --pages "$pages" --hugo
GAZETTE_TIMINGS=1 ./target/release/gazette build --root "$work/gazette" --output "$work/gazette-out"
hyperfine --warmup 1 --runs 10 --export-markdown "$work/results.md" \
  --prepare "rm -rf $work/gazette-out" --prepare 'true' --prepare "rm -rf $work/hugo-out" \
  -n "gazette build, empty output" "./target/release/gazette build --root $work/gazette --output $work/gazette-out" \
  -n "gazette build, unchanged output" "./target/release/gazette build --root $work/gazette --output $work/gazette-out" \
  -n "hugo $(hugo version | cut -d' ' -f2), empty output" "hugo --quiet -s $work/hugo -d $work/hugo-out"
cat "$work/results.md"
