#!/usr/bin/env bash
# Runs the Mixtures sample on several seeds and datasets and prints one Markdown table row per run (its measures,
# whether it met the goal of docs/mixtures.md, and its wall time in seconds from report.json), plus a summary
# row per dataset (and, under --clip-norm, the share of steps clipped; under --gp, the range of the gradient
# penalty). This is how the tables in docs/mixtures.md were made.
#
#   samples/Mixtures/sweep.sh OUT LABEL [Mixtures options...]
#
#   OUT       folder for the runs (OUT/LABEL/<dataset>-<seed>/ gets each run's files)
#   LABEL     the name of the row group (e.g. "tuned" or "tuned − EMA")
#   options   passed to every run, e.g. --preset tuned --ema 0
#
# Environment: SEEDS (default "1 2 3 4 5"), DATASETS (default "ring grid"), JOBS (parallel runs, default 2),
# NICE (default 19), MIXTURES_DLL (default: the Release build). Needs jq. Build first: dotnet build samples/Mixtures -c Release.
set -euo pipefail
if [[ $# -lt 2 ]]; then
    sed -n '2,14p' "$0"
    exit 2
fi
out=$1
label=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
dll=${MIXTURES_DLL:-"$here/bin/Release/net10.0/Mixtures.dll"}
[[ -f $dll ]] || { echo "error: $dll not found; run: dotnet build samples/Mixtures -c Release" >&2; exit 2; }
command -v jq > /dev/null || { echo "error: jq is needed for the table" >&2; exit 2; }
seeds=${SEEDS:-1 2 3 4 5}
datasets=${DATASETS:-ring grid}
jobs=${JOBS:-2}
dir="$out/$label"
mkdir -p "$dir"

# At most $jobs runs alive at once. A failed run leaves no report.json and shows as "failed" in the table.
run_one() {
    local d=$1 s=$2
    shift 2
    nice -n "${NICE:-19}" dotnet "$dll" --dataset "$d" --seed "$s" --quiet --no-plots --out "$dir/$d-$s" "$@" \
        > "$dir/$d-$s.log" 2>&1 || echo "run $d seed $s exited $?; see $dir/$d-$s.log" >&2
}
for d in $datasets; do
    for s in $seeds; do
        while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do
            wait -n || true
        done
        run_one "$d" "$s" "$@" &
    done
done
wait

echo "| setting | dataset | seed | modes | high quality | reverse KL | FD | precision | recall | steps | goal met | seconds |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---:|"
for d in $datasets; do
    for s in $seeds; do
        r="$dir/$d-$s/report.json"
        if [[ -f $r ]]; then
            jq -r --arg name "$label" '"| \($name) | \(.settings.dataset) | \(.settings.seed) | \(.modesCovered) / \(.dataset.modes) | \(.highQualityShare * 1000 | round / 10)% | \(if .reverseKl == null then "n/a" else (.reverseKl * 1000 | round / 1000) end) | \(.frechetDistance * 1000 | round / 1000) | \(.precision * 1000 | round / 1000) | \(.recall * 1000 | round / 1000) | \(.stepsCompleted) | \(if .modesCovered == .dataset.modes and .highQualityShare >= 0.9 then "yes" else "no" end) | \(.totalSeconds | round) |"' "$r"
        else
            echo "| $label | $d | $s | failed | | | | | | | | |"
        fi
    done
done
# Per dataset: seeds that reach every mode with ≥ 90% high quality (the goal in docs/mixtures.md).
for d in $datasets; do
    files=()
    for s in $seeds; do [[ -f "$dir/$d-$s/report.json" ]] && files+=("$dir/$d-$s/report.json"); done
    [[ ${#files[@]} -gt 0 ]] || continue
    jq -rs --arg name "$label" --arg d "$d" '
        "| \($name) | \($d) | goal met | \([.[] | select(.modesCovered == .dataset.modes and .highQualityShare >= 0.9)] | length) of \(length) | min \(([.[].highQualityShare] | min) * 1000 | round / 10)% | | | | | modes \([.[].modesCovered] | min)–\([.[].modesCovered] | max) | | \([.[].totalSeconds] | min | round)–\([.[].totalSeconds] | max | round) |"' "${files[@]}"
    # Under --clip-norm: the mean share of steps whose gradients were clipped (report.json gradientNorms).
    jq -rs --arg name "$label" --arg d "$d" '
        select(any(.[]; .gradientNorms != null)) |
        "| \($name) | \($d) | steps clipped | D \(([.[].gradientNorms.discriminator.clippedShare] | add / length) * 1000 | round / 10)% | G \(([.[].gradientNorms.generator.clippedShare] | add / length) * 1000 | round / 10)% | | | | | | | |"' "${files[@]}"
    # Under --gp: the WGAN-GP penalty over the last 500 steps (report.json final.gradientPenalty), least and largest run.
    jq -rs --arg name "$label" --arg d "$d" '
        select(any(.[]; .final.gradientPenalty != null)) |
        "| \($name) | \($d) | gradient penalty | \([.[].final.gradientPenalty] | min | . * 10000 | round / 10000)–\([.[].final.gradientPenalty] | max | . * 10000 | round / 10000) | | | | | | | | |"' "${files[@]}"
done
