#!/usr/bin/env bash
# package-image.sh SET APP_DIR OUT_DIR: copies a built app folder (APP_DIR, this host's Release build) to OUT_DIR and
# puts in it, instead of the build's GanCore.dll, the package's prebuilt image for SET (readytorun/<tfm>/SET/GanCore.dll
# of the .nupkg that package-smoke kept in TestResults/package, with precompile/'s PDB): the GanCore an app gets from the
# package on a host of that level. The image legs of .ci/run run StepWarmup and the kernel tests on it, for levels this
# host's own build does not make, without compiling an image per level again.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/pe-machine.sh
[ $# = 3 ] || { echo "usage: $0 SET APP_DIR OUT_DIR (SET: x86-64-v4, x86-64-v3, x86-64-v2-avx or x86-64-v2)" >&2; exit 2; }
level=$1 app=$2 out=$3
shopt -s nullglob
packages=(TestResults/package/GanCore.*.nupkg)
[ "${#packages[@]}" = 1 ] ||
  { echo "package-image: expected one .nupkg in TestResults/package, found ${#packages[@]} (package-smoke keeps it there with PACKAGE_OUT; did it fail?)" >&2; exit 1; }
[ -f "$app/GanCore.dll" ] || { echo "package-image: no $app/GanCore.dll: build the solution in Release first" >&2; exit 1; }
tfm=$(basename "$app")
rm -rf "$out" && mkdir -p "$out" && cp -r "$app"/. "$out"/
python3 - "${packages[0]}" "$tfm" "$level" "$out" <<'PY'
import sys, zipfile
nupkg, tfm, level, out = sys.argv[1:]
with zipfile.ZipFile(nupkg) as z:
    for entry, name in ((f"readytorun/{tfm}/{level}/GanCore.dll", "GanCore.dll"), (f"precompile/{tfm}/GanCore.pdb", "GanCore.pdb")):
        if entry not in z.namelist():
            sys.exit(f"package-image: {nupkg} has no {entry}")
        with open(f"{out}/{name}", "wb") as f:
            f.write(z.read(entry))
PY
[ "$(pe_machine "$out/GanCore.dll")" = fd1d ] ||
  { echo "package-image: $out/GanCore.dll is not a Linux x64 image (machine 0x$(pe_machine "$out/GanCore.dll"))" >&2; exit 1; }
echo "package-image: $out: a copy of $app with the package's $level image of GanCore"
