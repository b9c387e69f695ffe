#!/usr/bin/env bash
# Prints the size table of docs/architecture.md: one row per folder of src/ that holds C# files, with the file
# count, the line count and the largest file. Run from anywhere: bash docs/line-counts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "| folder | files | lines | largest file (lines) |"
echo "|---|---:|---:|---|"
find src -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' -printf '%h\n' | sort -u | while read -r dir; do
  files=$(find "$dir" -maxdepth 1 -name '*.cs' | wc -l)
  lines=$(cat "$dir"/*.cs | wc -l)
  largest=$(wc -l "$dir"/*.cs | grep -v ' total$' | sort -n | tail -1 | awk '{print $2 " (" $1 ")"}')
  echo "| \`$dir/\` | $files | $lines | $(basename "${largest% *}") ${largest##* } |"
done
total_files=$(find src -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' | wc -l)
total_lines=$(find src -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' -exec cat {} + | wc -l)
echo "| all of \`src/\` | $total_files | $total_lines | |"
