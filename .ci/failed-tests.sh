#!/usr/bin/env bash
# Prints every failed test in the trx files under the directory given (default TestResults): its name, which trx
# (so which CI step) it came from, and the first lines of its message and stack trace (without the assertion library's,
# reflection's and xunit's frames). CI prints this at the end of its log, so a failure is named in the part of the log
# people read first.
set -u
dir=${1:-TestResults}
lines=${2:-12}
found=0
while IFS= read -r -d '' trx; do
  grep -q 'outcome="Failed"' "$trx" || continue
  found=1
  echo "failed tests in ${trx#./}:"
  # One record per UnitTestResult; keep the failed ones, print the name and the start of the error text.
  awk -v max="$lines" '
    function unescape(s) {
      gsub(/&#xD;/, "", s); gsub(/&#xA;/, "\n", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s
    }
    BEGIN { RS = "<UnitTestResult " }
    # The outcome is read from the element'"'"'s own attributes: the last record runs on to the end of the file, whose
    # ResultSummary carries the run'"'"'s outcome, and a passed last test was once listed as failed because of it.
    NR > 1 && substr($0, 1, index($0, ">")) ~ /outcome="Failed"/ {
      name = $0; sub(/^.*testName="/, "", name); sub(/".*$/, "", name)
      printf "  FAILED %s\n", unescape(name)
      text = ""
      if (match($0, /<Message>[^<]*<\/Message>/)) text = substr($0, RSTART + 9, RLENGTH - 19)
      if (match($0, /<StackTrace>[^<]*<\/StackTrace>/)) text = text "\n" substr($0, RSTART + 12, RLENGTH - 25)
      n = split(unescape(text), parts, "\n")
      shown = 0
      for (i = 1; i <= n && shown < max; i++) {
        if (parts[i] !~ /[^ \t\r]/ || parts[i] ~ /^ *at (FluentAssertions|System\.Reflection|Xunit)\./) continue
        printf "    %s\n", parts[i]; shown++
      }
    }' "$trx"
done < <(find "$dir" -name '*.trx' -print0 2>/dev/null | sort -z)
[ "$found" = 1 ] || echo "no failed tests in the trx files under $dir"
