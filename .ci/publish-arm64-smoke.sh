#!/usr/bin/env bash
# Cross-architecture publish: `dotnet publish -r linux-arm64 --self-contained` of the flagship sample on this x64
# machine, then the published app run under qemu-user.
#
# What it guards:
# - GanCore's build-host image (ReadyToRun.targets) is x64 native code. An arm64 app that shipped it failed at its first
#   call into GanCore with BadImageFormatException. Every managed file in the publish must be IL or arm64 code: the PE
#   header's machine field is read for each one.
# - GanCore's own arm64 image (ReadyToRun.targets' cross-compile), checked where no app-level ReadyToRun step could have
#   made it: StepWarmup published for linux-arm64 (self-contained). Step 1 of the seed GAN there compiles no GEMM kernel
#   or engine method (StepWarmup's JIT report under qemu). A framework-dependent publish, which downloads the runtime
#   pack through GanCore's own PackageDownload, was checked by hand; it would add about half a minute here.
# - GanCore's vectorized exp, log, sin and cos (AdvSimd paths, arm64 image) give the runtime's Vector128 bits
#   (StepWarmup --math-check): the test suite checks them on x86-64 only.
# - The published app trains and writes its files on arm64, where the kernels run on Vector128 through AdvSimd and the
#   x86-only branches (SSE/AVX masked loads and stores, sums) give way to their portable fallbacks.
# - Its D accuracy and D score after 300 steps match the same run on this machine at 128 bits (DOTNET_EnableAVX2=0: the
#   same tiles, so only rounding differs) within 0.005.
# - The host's own build of the sample is untouched by the publish.
#
# qemu-user and arm64's C library come from apt when missing, on Debian and as root only: adding the arm64 architecture
# is permanent, and on Ubuntu its packages live on another server (ports.ubuntu.com), so it would break apt-get update.
# The architecture is removed again if the install fails. Without them the step fails, since the image check alone would
# not show the app works. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/pe-machine.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
say() { echo "publish-arm64: $*"; }
fail() { echo "publish-arm64: FAILED: $*" >&2; exit 1; }
# qemu-user itself now and then dies with "uncaught target signal 11" (in local runs of the sweep, once in the
# seventy-first session and once in the seventy-second, with no output from the program; every rerun passed) or 6: in
# the seventy-sixth session the math check's emulated runtime reported an AccessViolationException inside List.Add
# and aborted, on both tries of one CI run and on 1 of 7 local reruns of the same binary (the other six passed). Such
# a run is tried up to twice more, saying so on the CI log (fd 3, which the callers' output capture does not take)
# with the first lines of what the dead run printed; any other failure counts at once.
exec 3>&2
emulate() {
  local output status try
  for try in 1 2 3; do
    output=$(qemu-aarch64 "$@" 2>&1); status=$?
    if [ $status -eq 0 ] || ! grep -q "^qemu: uncaught target signal" <<<"$output" || [ $try -eq 3 ]; then
      break
    fi
    echo "publish-arm64: qemu-aarch64 died on try $try ($(grep -m1 '^qemu: uncaught target signal' <<<"$output")); running $(basename "$1") ${*:2} again. It had printed:" >&3
    head -3 <<<"$output" | sed 's/^/  /' >&3
  done
  printf '%s\n' "$output"
  return $status
}

out=TestResults/publish-arm64
rm -rf "$out"
host_sample=samples/QuadraticGan/bin/Release/net10.0
[ -f "$host_sample/GanCore.dll" ] && [ -f "$host_sample/QuadraticGan.dll" ] ||
  fail "no host build of the sample in $host_sample: build the solution in Release first"
host_before=$(sha256sum "$host_sample/GanCore.dll" "$host_sample/QuadraticGan.dll")

say "publish samples/QuadraticGan for linux-arm64"
dotnet publish samples/QuadraticGan/QuadraticGan.csproj -c Release -r linux-arm64 --self-contained -o "$out/app" -v quiet -nologo

# PE machine field (.ci/pe-machine.sh): IL, or arm64 code.
checked=0
for dll in "$out"/app/*.dll; do
  [ "$(head -c 2 "$dll")" = "MZ" ] || continue
  machine=$(pe_machine "$dll")
  case "$machine" in
    014c | d11d | aa64) checked=$((checked + 1)) ;;
    *) fail "$(basename "$dll") is native code for machine 0x$machine, not arm64 (file offset $(($(od -An -tu4 -j60 -N4 "$dll") + 4)))" ;;
  esac
done
[ "$checked" -gt 0 ] || fail "no managed assembly found in $out/app"
say "$checked managed assemblies are IL or arm64 code"

# GanCore.dll must be an arm64 ReadyToRun image (machine 0xd11d) in StepWarmup's publish, which has no ReadyToRun step of
# its own.
dotnet publish tools/StepWarmup/StepWarmup.csproj -c Release -r linux-arm64 --self-contained -o "$out/stepwarmup" -v quiet -nologo
m=$(pe_machine "$out/stepwarmup/GanCore.dll") || fail "$out/stepwarmup/GanCore.dll is missing"
[ "$m" = d11d ] || fail "GanCore.dll in StepWarmup's publish is not an arm64 ReadyToRun image (machine 0x$m)"
say "GanCore.dll is an arm64 ReadyToRun image in StepWarmup's publish"

host_after=$(sha256sum "$host_sample/GanCore.dll" "$host_sample/QuadraticGan.dll")
[ "$host_before" = "$host_after" ] || fail "the publishes changed the host build in $host_sample"

if ! command -v qemu-aarch64 >/dev/null || [ ! -e /lib/ld-linux-aarch64.so.1 ]; then
  os_id=$( (. /etc/os-release 2>/dev/null && echo "${ID:-}") || true)
  if [ "$(id -u)" = 0 ] && [ "$os_id" = debian ] && command -v apt-get >/dev/null; then
    say "installing qemu-user and arm64's C library (apt, arm64 added as a foreign architecture)"
    added=0
    dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64 && added=1; }
    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 >/dev/null); then
      say "the install failed"
      if [ "$added" = 1 ]; then dpkg --remove-architecture arm64 || true; fi
    fi
  else
    say "qemu-user is missing, and this is not Debian as root (ID=${os_id:-unknown}, uid $(id -u)): install qemu-user and arm64's libc6, libstdc++6 and libgcc-s1"
  fi
fi
command -v qemu-aarch64 >/dev/null && [ -e /lib/ld-linux-aarch64.so.1 ] ||
  fail "qemu-user or arm64's C library is not available: the published app was not run"

say "step 1's JIT report on arm64 (StepWarmup, published for linux-arm64)"
report=$(emulate "$out/stepwarmup/StepWarmup" --jit-report 10 --expect-precompiled 2>&1) ||
  { echo "$report" | tail -15; fail "StepWarmup --expect-precompiled failed on arm64 (step 1 compiled GanCore methods or loaded vector types it must not)"; }
echo "$report" | tail -3
echo "$report" | grep -q "is a ReadyToRun image, and step 1 compiled none of GanCore's methods" ||
  fail "StepWarmup's report on arm64 does not say GanCore.dll is a ReadyToRun image whose kernels were precompiled"

say "the products, MLPs and GANs beyond step 1 on arm64 (StepWarmup --sweep)"
sweep=$(emulate "$out/stepwarmup/StepWarmup" --sweep 2>&1) ||
  { echo "$sweep" | tail -15; fail "StepWarmup --sweep failed on arm64: precompiled code loaded a vector type wider than 128 bits or a framework vector class"; }
echo "$sweep" | tail -4

say "GanCore's exp, log, sin and cos on arm64 against the runtime's (StepWarmup --math-check)"
math=$(emulate "$out/stepwarmup/StepWarmup" --math-check 2>&1) ||
  { echo "$math" | tail -12; fail "StepWarmup --math-check failed on arm64: GanCore's exp, log or sin/cos (AdvSimd paths) does not give the runtime's bits"; }
echo "$math"

say "run 300 steps under qemu-aarch64"
# Tiered compilation off: under emulation the JIT's background recompilation only costs time.
DOTNET_TieredCompilation=0 qemu-aarch64 "$out/app/QuadraticGan" --steps 300 --quiet --out "$out/run"
for f in curves.csv metrics.csv report.json gan.png training.png a-histogram.png generator.ckpt; do
  test -s "$out/run/$f" || fail "the arm64 run wrote no $f"
done
DOTNET_EnableAVX2=0 dotnet "$host_sample/QuadraticGan.dll" --steps 300 --quiet --no-plots --out "$out/x64"

# The last metrics row of each run: step, D accuracy (d_real, the mean D(x)) and D score, found by metrics.csv's header.
last_row() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } { row = $0 } END {
    split(row, v, ","); print v[col["step"]], v[col["d_real"]], v[col["d_score"]] }' "$1/metrics.csv"
}
arm=$(last_row "$out/run")
x64=$(last_row "$out/x64")
say "arm64: step, D accuracy, D score = $arm"
say "x64 at 128 bits:                   $x64"
# Every value must be a plain number (awk would read NaN as 0), the steps the same, and each metric within 0.005.
awk -v a="$arm" -v b="$x64" 'BEGIN { n = split(a, p, " "); m = split(b, q, " "); if (n != 3 || m != 3) exit 1;
  num = "^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$";
  for (i = 1; i <= 3; i++) if (p[i] !~ num || q[i] !~ num) exit 1;
  if (p[1] != q[1]) exit 1;
  for (i = 2; i <= 3; i++) { d = p[i] - q[i]; if (d < 0) d = -d; if (d > 0.005) exit 1 } }' ||
  fail "the arm64 run's last metrics ($arm) differ from x64's ($x64) by more than 0.005"
say "ok"
