#!/usr/bin/env bash
# Package smoke test: pack GanCore at a unique version into a temporary folder, check what the .nupkg and .snupkg
# contain, then build and run tests/PackageConsumer against GanCore *as a package* (never a project reference),
# restoring into a temporary NUGET_PACKAGES so a stale cached package can never stand in for a broken one.
# The consumer also compiles and runs every ```csharp block of docs/getting-started.md, in order.
# The package carries prebuilt ReadyToRun images (readytorun/<tfm>/<set>/): on an x86-64 build host the consumer's bin/
# must get the one for the host's level by default (the package's buildTransitive targets), training must compile far
# fewer methods than the same consumer on lib/'s IL (GanCoreReadyToRun=false), a publish for linux-x64 with a named level
# or for linux-arm64 must get that set's image, and the image compiled in the app's own build (the path for a framework
# the package has no image for) must still work.
# Exits non-zero on the first failure. Set KEEP=1 to keep the temporary folder, PACKAGE_OUT=DIR to keep a copy of the
# .nupkg and .snupkg there once they pass the content checks (.ci/run's image legs take the prebuilt images from it).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

t_start=$SECONDS
version="0.1.0-ci.$(date -u +%Y%m%d%H%M%S).$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/gancore-package-smoke.XXXXXX")
feed="$work/feed"
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then echo "package-smoke: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

say() { echo "package-smoke: $*"; }
fail() { echo "package-smoke: FAILED: $*" >&2; exit 1; }
step() { echo "package-smoke: == $* ($((SECONDS - t_start)) s)"; }

# ---------------------------------------------------------------------------------------------------------------
step "1/6 pack src/GanCore as $version"
# PackageVersion (not Version) changes only the package's version: after .ci/run's Release build the library is
# up to date and is packed as built.
dotnet pack src/GanCore -c Release -p:PackageVersion="$version" -o "$feed" -v quiet -nologo
nupkg="$feed/GanCore.$version.nupkg"
snupkg="$feed/GanCore.$version.snupkg"
[ -f "$nupkg" ] || fail "no $nupkg"
[ -f "$snupkg" ] || fail "no $snupkg"
say "packed $(basename "$nupkg") ($(stat -c %s "$nupkg") bytes) and $(basename "$snupkg") ($(stat -c %s "$snupkg") bytes)"
# The pack's own restore asked for what the images are compiled with (the default NuGet cache may hold both already,
# so the request is checked, not the download).
python3 - src/GanCore/obj/project.assets.json <<'PY' || fail "src/GanCore's pack restore did not request crossgen2 and the linux-arm64 runtime pack"
import json, sys
names = {d["name"].lower() for d in json.load(open(sys.argv[1])).get("project", {}).get("frameworks", {}).get("net10.0", {}).get("downloadDependencies", [])}
sys.exit(0 if {"microsoft.netcore.app.crossgen2.linux-x64", "microsoft.netcore.app.runtime.linux-arm64"} <= names else 1)
PY
say "  the pack's restore requested crossgen2 and the linux-arm64 runtime pack"

# ---------------------------------------------------------------------------------------------------------------
step "2/6 check the package contents"
unpack() { # unpack ZIP DIR
  if command -v unzip >/dev/null 2>&1; then unzip -q "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi
}
unpack "$nupkg" "$work/nupkg"
unpack "$snupkg" "$work/snupkg"
need_file() { [ -s "$1/$2" ] || fail "$(basename "$1") has no $2"; say "  $(basename "$1"): $2 ($(stat -c %s "$1/$2") bytes)"; }
need_file "$work/nupkg" README.md
need_file "$work/nupkg" lib/net10.0/GanCore.dll
need_file "$work/nupkg" lib/net10.0/GanCore.xml
need_file "$work/nupkg" precompile/net10.0/GanCore.dll
need_file "$work/nupkg" precompile/net10.0/GanCore.pdb
need_file "$work/nupkg" buildTransitive/GanCore.targets
need_file "$work/nupkg" buildTransitive/GanCore.ReadyToRun.Common.targets
# PE machine field: 014c for an IL-only assembly, fd1d for a Linux x64 ReadyToRun image.
source .ci/pe-machine.sh
for dll in lib/net10.0/GanCore.dll precompile/net10.0/GanCore.dll; do
  [ "$(pe_machine "$work/nupkg/$dll")" = 014c ] || fail "$dll is not IL only (machine 0x$(pe_machine "$work/nupkg/$dll"))"
done
cmp -s "$work/nupkg/lib/net10.0/GanCore.dll" "$work/nupkg/precompile/net10.0/GanCore.dll" \
  && fail "precompile/net10.0/GanCore.dll is the same file as lib/'s; it must be the build without AggressiveOptimization"
say "  lib/ and precompile/ hold two IL builds"
# The prebuilt images: fd1d is Linux x64 code, d11d Linux Arm64 code.
for set in x86-64-v4 x86-64-v3 x86-64-v2-avx x86-64-v2 linux-arm64; do
  need_file "$work/nupkg" "readytorun/net10.0/$set/GanCore.dll"
  want=fd1d; [ "$set" = linux-arm64 ] && want=d11d
  got=$(pe_machine "$work/nupkg/readytorun/net10.0/$set/GanCore.dll")
  [ "$got" = "$want" ] || fail "readytorun/net10.0/$set/GanCore.dll has PE machine 0x$got, not 0x$want"
done
cmp -s "$work/nupkg/readytorun/net10.0/x86-64-v4/GanCore.dll" "$work/nupkg/readytorun/net10.0/x86-64-v3/GanCore.dll" \
  && fail "the x86-64-v4 and -v3 images are the same file"
cmp -s "$work/nupkg/readytorun/net10.0/x86-64-v2-avx/GanCore.dll" "$work/nupkg/readytorun/net10.0/x86-64-v2/GanCore.dll" \
  && fail "the x86-64-v2-avx and -v2 images are the same file"
say "  readytorun/net10.0/ holds the x86-64-v4, -v3, -v2-avx, -v2 and linux-arm64 images"
need_file "$work/snupkg" lib/net10.0/GanCore.pdb
grep -q '<member name="T:GanCore.Adversarial.Gan">' "$work/nupkg/lib/net10.0/GanCore.xml" \
  || fail "GanCore.xml does not document GanCore.Adversarial.Gan"
[ "$(head -c 4 "$work/snupkg/lib/net10.0/GanCore.pdb")" = BSJB ] || fail "GanCore.pdb is not a portable PDB"
cmp -s README.md "$work/nupkg/README.md" || fail "the packed README.md differs from the repository's"
nuspec="$work/nupkg/GanCore.nuspec"
need_nuspec() { grep -q -- "$1" "$nuspec" || fail "GanCore.nuspec lacks $2 ($1)"; say "  nuspec: $2"; }
need_nuspec '<id>GanCore</id>' "id GanCore"
need_nuspec "<version>$version</version>" "version $version"
need_nuspec '<license type="expression">MIT</license>' "license expression MIT"
need_nuspec '<readme>README.md</readme>' "readme README.md"
need_nuspec '<description>.' "a description"
need_nuspec '<tags>.' "tags"
need_nuspec '<repository type="git" url="[^"]*".*commit="[0-9a-f]\{40\}"' "repository URL and commit"
deps=$(grep -o '<dependency id="[^"]*"' "$nuspec" | sed 's/<dependency id="//; s/"$//' | sort -u | tr '\n' ' ')
[ "$deps" = "MathNet.Numerics " ] || fail "the dependencies are [$deps]; expected only MathNet.Numerics"
say "  nuspec: the only dependency is MathNet.Numerics"
if [ -n "${PACKAGE_OUT:-}" ]; then
  rm -rf "$PACKAGE_OUT" && mkdir -p "$PACKAGE_OUT" && cp "$nupkg" "$snupkg" "$PACKAGE_OUT/"
  say "  kept a copy in $PACKAGE_OUT"
fi

# ---------------------------------------------------------------------------------------------------------------
step "3/6 build tests/PackageConsumer against GanCore $version (temporary NUGET_PACKAGES)"
consumer="$work/consumer"
mkdir -p "$consumer"
cp tests/PackageConsumer/*.csproj tests/PackageConsumer/*.cs tests/PackageConsumer/Directory.*.props "$consumer/"
# The doc's C# blocks, in order, become the body of one method; their using directives go on top.
awk '/^```csharp[[:space:]]*$/ { inside = 1; next } /^```/ { inside = 0; next } inside { print }' \
  docs/getting-started.md > "$work/doc-blocks.cs"
blocks=$(grep -c '^```csharp' docs/getting-started.md || true)
[ "${blocks:-0}" -gt 0 ] || fail "docs/getting-started.md has no \`\`\`csharp blocks"
{
  echo "// Generated by .ci/package-smoke.sh from the $blocks C# blocks of docs/getting-started.md."
  grep -E '^using [A-Za-z0-9_.]+;[[:space:]]*$' "$work/doc-blocks.cs" | sort -u
  echo
  echo "internal static partial class GettingStartedDoc"
  echo "{"
  echo "    static partial void Run(ref bool ran)"
  echo "    {"
  grep -v -E '^using [A-Za-z0-9_.]+;[[:space:]]*$' "$work/doc-blocks.cs" | sed 's/^/        /; s/^[[:space:]]*$//'
  echo "        ran = true;"
  echo "    }"
  echo "}"
} > "$consumer/GettingStartedDoc.cs"
say "  docs/getting-started.md: $blocks C# blocks -> GettingStartedDoc.cs"
export NUGET_PACKAGES="$work/packages"
dotnet build "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet \
  -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" \
  || fail "the consumer did not build against GanCore $version (generated doc code: $consumer/GettingStartedDoc.cs; KEEP=1 keeps it)"
assets="$consumer/obj/project.assets.json"
grep -q "\"GanCore/$version\": {" "$assets" || fail "the consumer did not resolve GanCore/$version"
grep -A1 "\"GanCore/$version\": {" "$assets" | grep -q '"type": "package"' || fail "GanCore was not resolved as a package"
[ -f "$NUGET_PACKAGES/gancore/$version/gancore.$version.nupkg" ] || fail "GanCore $version is not in the temporary package folder"
say "  resolved GanCore $version as a package from $feed into the temporary NUGET_PACKAGES"

# ---------------------------------------------------------------------------------------------------------------
step "4/6 run the consumer: a GAN on N(3, 0.5²), then the getting-started code"
# consumer_property NAME [MSBUILD ARGS]: the consumer's evaluated property (evaluation only, nothing is built).
consumer_property() {
  local name=$1; shift
  dotnet msbuild "$consumer/PackageConsumer.csproj" -nologo -getProperty:"$name" "$@" \
    -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" 2>/dev/null | tail -1
}
# run_consumer LOG: runs the built consumer, checks it trained and ran the doc's code, prints its JIT count.
run_consumer() {
  local log=$1 rc
  set +e
  dotnet "$consumer/bin/Release/net10.0/PackageConsumer.dll" > "$log" 2>&1
  rc=$?
  set -e
  cat "$log" >&2
  [ "$rc" = 0 ] || fail "the consumer exited $rc ($log)"
  grep -q '^package-smoke: OK$' "$log" || fail "the consumer did not print 'package-smoke: OK'"
  grep -q '^docs/getting-started.md: every code block compiled and ran$' "$log" || fail "the getting-started code did not run"
  local jit
  jit=$(sed -n 's/^jit: \([0-9]*\) methods.*/\1/p' "$log")
  [ -n "$jit" ] || fail "the consumer did not print its JIT count"
  echo "$jit"
}
bin="$consumer/bin/Release/net10.0"
runtimeconfig="$bin/PackageConsumer.runtimeconfig.json"
prebuilt="$NUGET_PACKAGES/gancore/$version/readytorun/net10.0"
# The build host's level, as the package's targets read it: empty off x86-64 and on a CPU without SSE4.2.
level=$(consumer_property GanCoreInstructionSet)
[ "$(uname -m)" = x86_64 ] || level=
default_jit=$(run_consumer "$work/run.log")
if [ -z "$level" ]; then
  [ "$(pe_machine "$bin/GanCore.dll")" = 014c ] || fail "bin/GanCore.dll is an image on a host with no image set ($(uname -m))"
  say "  no image set on this build host ($(uname -m)): bin/GanCore.dll is lib/'s IL"
else
  cmp -s "$prebuilt/$level/GanCore.dll" "$bin/GanCore.dll" \
    || fail "bin/GanCore.dll is not the package's prebuilt $level image (machine 0x$(pe_machine "$bin/GanCore.dll"))"
  cmp -s "$work/nupkg/precompile/net10.0/GanCore.pdb" "$bin/GanCore.pdb" || fail "bin/GanCore.pdb is not the precompiled IL's PDB"
  # Dynamic PGO off by default with the image (its instrumented recompilation slows the precompiled kernels down).
  grep -q '"System.Runtime.TieredPGO": false' "$runtimeconfig" || fail "$runtimeconfig does not turn TieredPGO off"
  say "  bin/GanCore.dll: the package's prebuilt $level image, with its PDB; the runtimeconfig turns TieredPGO off"
fi

# ---------------------------------------------------------------------------------------------------------------
step "5/6 the consumer on lib/'s IL (GanCoreReadyToRun=false)"
dotnet build "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -p:GanCoreReadyToRun=false \
  -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" || fail "the consumer did not build on the IL"
[ "$(pe_machine "$bin/GanCore.dll")" = 014c ] || fail "bin/GanCore.dll is not IL with GanCoreReadyToRun=false"
cmp -s "$work/nupkg/lib/net10.0/GanCore.dll" "$bin/GanCore.dll" || fail "bin/GanCore.dll is not lib/'s with GanCoreReadyToRun=false"
grep -q 'TieredPGO' "$runtimeconfig" && fail "the IL build's $runtimeconfig sets TieredPGO; only an image's build may"
il_jit=$(run_consumer "$work/run-il.log")
say "  bin/GanCore.dll: lib/'s IL; training compiled $il_jit methods"
if [ -n "$level" ]; then
  # The image's kernels are not compiled again: a small fraction of what the IL build compiles (7 against 226 on
  # 2026-12-03). A rejected or missing image compiles as many as the IL.
  [ $((default_jit * 4)) -lt "$il_jit" ] \
    || fail "the consumer on the prebuilt image compiled $default_jit methods while training, on the IL $il_jit: the image was not used"
  say "  training compiled $default_jit methods on the prebuilt image, $il_jit on the IL"
fi

# ---------------------------------------------------------------------------------------------------------------
step "6/6 the image compiled in the app's build, and builds for a RID"
if [ -z "$level" ]; then
  say "  skipped: no image on this build host ($(uname -m), level '${level}')"
else
  # The package's fallback for a framework it has no image for: crossgen2 in the app's build, with PublishReadyToRun
  # (so the SDK restores crossgen2). _GanCoreNoPrebuiltImage makes this build take that path.
  dotnet build "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -p:PublishReadyToRun=true -p:_GanCoreNoPrebuiltImage=true \
    -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" || fail "the consumer did not build with PublishReadyToRun"
  image="$consumer/obj/Release/net10.0/gancore-r2r/$version/$level/GanCore.dll"
  [ -s "$image" ] || fail "no image at $image"
  [ "$(pe_machine "$bin/GanCore.dll")" = fd1d ] || fail "bin/GanCore.dll is not an x64 ReadyToRun image (machine 0x$(pe_machine "$bin/GanCore.dll"))"
  cmp -s "$image" "$bin/GanCore.dll" || fail "bin/GanCore.dll is not the image the build made ($image)"
  grep -q '"System.Runtime.TieredPGO": false' "$runtimeconfig" || fail "$runtimeconfig does not turn TieredPGO off"
  r2r_jit=$(run_consumer "$work/run-r2r.log")
  [ $((r2r_jit * 4)) -lt "$il_jit" ] \
    || fail "the consumer on the image its build compiled compiled $r2r_jit methods while training, on the IL $il_jit: the image was not used"
  say "  bin/GanCore.dll: the $level image compiled in the app's build; training compiled $r2r_jit methods"
fi
# A publish for an x64 RID is a deployment: without GanCoreInstructionSet it keeps lib/'s IL (the SDK's own ReadyToRun
# step then compiles that, as before); with it, the package's image for that level. Evaluation only for the first.
on=$(consumer_property GanCoreReadyToRun -p:RuntimeIdentifier=linux-x64 -p:PublishReadyToRun=true)
[ "$on" = false ] || fail "GanCoreReadyToRun is '$on' for a linux-x64 publish without GanCoreInstructionSet; it must stay off"
# So is `dotnet publish` without a RID, whose output is portable: the IL even with a level named, and a warning says so.
dotnet publish "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -p:GanCoreInstructionSet=x86-64-v2 \
  -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" -o "$work/publish-portable" > "$work/publish-portable.log" 2>&1 \
  || { cat "$work/publish-portable.log"; fail "the consumer did not publish without a RID"; }
cmp -s "$work/nupkg/lib/net10.0/GanCore.dll" "$work/publish-portable/GanCore.dll" \
  || fail "dotnet publish without a RID did not ship lib/'s IL (machine 0x$(pe_machine "$work/publish-portable/GanCore.dll"))"
grep -q "GanCoreInstructionSet 'x86-64-v2' is ignored by a publish without a RID" "$work/publish-portable.log" \
  || { cat "$work/publish-portable.log"; fail "dotnet publish without a RID did not warn that GanCoreInstructionSet is ignored"; }
say "  dotnet publish without a RID ships the IL, and warns when GanCoreInstructionSet is given"
# The same on a linux-arm64 build host (evaluation, with the SDK's RID overridden): its build gets the Arm64 image, its
# portable publish the IL.
on=$(consumer_property GanCoreReadyToRun -p:NETCoreSdkPortableRuntimeIdentifier=linux-arm64)
[ "$on" = true ] || fail "GanCoreReadyToRun is '$on' for a build on a linux-arm64 host; it must be on (the Arm64 image)"
on=$(consumer_property GanCoreReadyToRun -p:NETCoreSdkPortableRuntimeIdentifier=linux-arm64 -p:_IsPublishing=true)
[ "$on" = false ] || fail "GanCoreReadyToRun is '$on' for a publish without a RID on a linux-arm64 host; it must stay off"
say "  on a linux-arm64 host: the build gets the Arm64 image, a publish without a RID the IL"
# A misspelled level warns instead of leaving GanCore IL without a word.
dotnet build "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -p:GanCoreInstructionSet=x86_64-v3 \
  -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" > "$work/misspelled.log" 2>&1 \
  || { cat "$work/misspelled.log"; fail "the consumer did not build with a misspelled GanCoreInstructionSet"; }
grep -q "GanCoreInstructionSet 'x86_64-v3' is not one of the package's image sets" "$work/misspelled.log" \
  || { cat "$work/misspelled.log"; fail "a misspelled GanCoreInstructionSet gave no warning"; }
say "  a misspelled GanCoreInstructionSet warns"
# An app that takes GanCore's runtime assembly from elsewhere (ExcludeAssets="runtime") builds: the image it did not ask
# for is skipped, never an error.
dotnet build "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -p:GanCoreExcludeAssets=runtime \
  -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" -o "$work/exclude-runtime" \
  || fail "the consumer did not build with ExcludeAssets=runtime on GanCore"
[ ! -e "$work/exclude-runtime/GanCore.dll" ] || fail "the ExcludeAssets=runtime build has a GanCore.dll"
say "  an app with ExcludeAssets=\"runtime\" on GanCore builds, without GanCore.dll"
dotnet publish "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -r linux-x64 --self-contained false \
  -p:GanCoreInstructionSet=x86-64-v3 -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" -o "$work/publish" \
  || fail "the consumer did not publish for linux-x64"
cmp -s "$prebuilt/x86-64-v3/GanCore.dll" "$work/publish/GanCore.dll" \
  || fail "the linux-x64 publish folder's GanCore.dll is not the package's x86-64-v3 image"
say "  dotnet publish -r linux-x64 ships the IL, and with GanCoreInstructionSet=x86-64-v3 the package's image for that level"
dotnet publish "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -r linux-arm64 --self-contained false \
  -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" -o "$work/publish-arm64" \
  || fail "the consumer did not publish for linux-arm64"
cmp -s "$prebuilt/linux-arm64/GanCore.dll" "$work/publish-arm64/GanCore.dll" \
  || fail "the linux-arm64 publish folder's GanCore.dll is not the package's linux-arm64 image"
say "  dotnet publish -r linux-arm64 ships the package's linux-arm64 image"
# An app for a RID no image serves keeps lib/'s IL, without an error, and so does a trimmed or native AOT publish, whose
# compilers take IL (evaluation only: no Windows packs needed).
for args in "-p:RuntimeIdentifier=win-x64" "-p:RuntimeIdentifier=osx-arm64" "-p:RuntimeIdentifier=linux-arm64 -p:PublishTrimmed=true" \
            "-p:RuntimeIdentifier=linux-arm64 -p:PublishAot=true"; do
  # shellcheck disable=SC2086
  on=$(consumer_property GanCoreReadyToRun $args)
  [ "$on" = false ] || fail "GanCoreReadyToRun is '$on' for an app built with $args; it must stay off there"
done
say "  an app for win-x64 or osx-arm64, or trimmed, or native AOT, keeps the IL"

say "passed: GanCore $version packs, installs from a package feed and trains ($((SECONDS - t_start)) s)"
