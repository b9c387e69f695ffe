#!/usr/bin/env bash
# Package smoke test: pack GanCore at a unique version into a temporary folder, check what the .nupkg and .snupkg
# contain, then build and run tests/PackageConsumer against GanCore *as a package* (never a project reference),
# restoring into a temporary NUGET_PACKAGES so a stale cached package can never stand in for a broken one.
# The consumer also compiles and runs every ```csharp block of docs/getting-started.md, in order.
# Then, on an x86-64 build host, the consumer again with PublishReadyToRun: its bin/ and its publish must get GanCore's
# precompiled image (the package's buildTransitive targets), and training must compile far fewer methods than on the IL.
# Exits non-zero on the first failure. Set KEEP=1 to keep the temporary folder.
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
step "1/5 pack src/GanCore as $version"
# PackageVersion (not Version) changes only the package's version: after .ci/run's Release build the library is
# up to date and is packed as built.
dotnet pack src/GanCore -c Release -p:PackageVersion="$version" -o "$feed" -v quiet -nologo
nupkg="$feed/GanCore.$version.nupkg"
snupkg="$feed/GanCore.$version.snupkg"
[ -f "$nupkg" ] || fail "no $nupkg"
[ -f "$snupkg" ] || fail "no $snupkg"
say "packed $(basename "$nupkg") ($(stat -c %s "$nupkg") bytes) and $(basename "$snupkg") ($(stat -c %s "$snupkg") bytes)"

# ---------------------------------------------------------------------------------------------------------------
step "2/5 check the package contents"
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

# ---------------------------------------------------------------------------------------------------------------
step "3/5 build tests/PackageConsumer against GanCore $version (temporary NUGET_PACKAGES)"
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
step "4/5 run the consumer: a GAN on N(3, 0.5²), then the getting-started code"
set +e
dotnet "$consumer/bin/Release/net10.0/PackageConsumer.dll" 2>&1 | tee "$work/run.log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || fail "the consumer exited $rc"
grep -q '^package-smoke: OK$' "$work/run.log" || fail "the consumer did not print 'package-smoke: OK'"
grep -q '^docs/getting-started.md: every code block compiled and ran$' "$work/run.log" \
  || fail "the getting-started code did not run"

il_jit=$(sed -n 's/^jit: \([0-9]*\) methods.*/\1/p' "$work/run.log")
[ -n "$il_jit" ] || fail "the consumer did not print its JIT count"
runtimeconfig="$consumer/bin/Release/net10.0/PackageConsumer.runtimeconfig.json"
grep -q 'TieredPGO' "$runtimeconfig" && fail "the IL build's $runtimeconfig sets TieredPGO; only the image's build may"

# ---------------------------------------------------------------------------------------------------------------
step "5/5 the consumer with PublishReadyToRun: GanCore's kernels precompiled in its build"
# Only where the package's buildTransitive/GanCore.targets can make an image: a linux-x64 SDK on an x86-64-v2/v3/v4 CPU.
# consumer_property NAME [MSBUILD ARGS]: the consumer's evaluated property (evaluation only, nothing is built).
consumer_property() {
  local name=$1; shift
  dotnet msbuild "$consumer/PackageConsumer.csproj" -nologo -getProperty:"$name" "$@" \
    -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" 2>/dev/null | tail -1
}
level=$(consumer_property GanCoreInstructionSet)
if [ "$(uname -m)" != x86_64 ] || [ -z "$level" ]; then
  say "  skipped: no image on this build host ($(uname -m), level '${level}')"
else
  dotnet build "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -p:PublishReadyToRun=true \
    -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" || fail "the consumer did not build with PublishReadyToRun"
  bin="$consumer/bin/Release/net10.0"
  image="$consumer/obj/Release/net10.0/gancore-r2r/$version/$level/GanCore.dll"
  [ -s "$image" ] || fail "no image at $image"
  [ "$(pe_machine "$bin/GanCore.dll")" = fd1d ] || fail "bin/GanCore.dll is not an x64 ReadyToRun image (machine 0x$(pe_machine "$bin/GanCore.dll"))"
  cmp -s "$image" "$bin/GanCore.dll" || fail "bin/GanCore.dll is not the image the build made ($image)"
  cmp -s "$work/nupkg/precompile/net10.0/GanCore.pdb" "$bin/GanCore.pdb" || fail "bin/GanCore.pdb is not the precompiled IL's PDB"
  say "  bin/GanCore.dll: the $level image ($(stat -c %s "$bin/GanCore.dll") bytes), with its PDB"
  # Dynamic PGO off by default with the image (its instrumented recompilation slows the precompiled kernels down).
  grep -q '"System.Runtime.TieredPGO": false' "$runtimeconfig" || fail "$runtimeconfig does not turn TieredPGO off"
  say "  the app's runtimeconfig turns TieredPGO off"
  set +e
  dotnet "$bin/PackageConsumer.dll" > "$work/run-r2r.log" 2>&1
  rc=$?
  set -e
  cat "$work/run-r2r.log"
  [ "$rc" = 0 ] || fail "the precompiled consumer exited $rc"
  grep -q '^package-smoke: OK$' "$work/run-r2r.log" || fail "the precompiled consumer did not print 'package-smoke: OK'"
  r2r_jit=$(sed -n 's/^jit: \([0-9]*\) methods.*/\1/p' "$work/run-r2r.log")
  # The image's kernels are not compiled again: a small fraction of what the IL build compiles (8 against 203 on
  # 2026-12-01). A rejected or missing image compiles as many as the IL.
  [ -n "$r2r_jit" ] && [ $((r2r_jit * 4)) -lt "$il_jit" ] \
    || fail "the precompiled consumer compiled ${r2r_jit:-?} methods while training, the IL one $il_jit: the image was not used"
  say "  training compiled $r2r_jit methods on the precompiled build, $il_jit on the package's IL"
  # A publish for a RID is a deployment: without GanCoreInstructionSet it keeps lib/'s IL (the SDK's own ReadyToRun step
  # then compiles that, as before); with it, the image for that level, which the SDK's step leaves alone.
  on=$(consumer_property GanCoreReadyToRun -p:RuntimeIdentifier=linux-x64 -p:PublishReadyToRun=true)
  [ "$on" = false ] || fail "GanCoreReadyToRun is '$on' for a linux-x64 publish without GanCoreInstructionSet; it must stay off"
  dotnet publish "$consumer/PackageConsumer.csproj" -c Release -nologo -v quiet -r linux-x64 -p:PublishReadyToRun=true \
    -p:GanCoreInstructionSet=x86-64-v3 -p:GanCoreVersion="$version" -p:RestoreAdditionalProjectSources="$feed" -o "$work/publish" \
    || fail "the consumer did not publish"
  published="$consumer/obj/Release/net10.0/linux-x64/gancore-r2r/$version/x86-64-v3/GanCore.dll"
  cmp -s "$published" "$work/publish/GanCore.dll" || fail "the publish folder's GanCore.dll is not the image its build made ($published)"
  say "  dotnet publish -r linux-x64 ships the IL, and with GanCoreInstructionSet=x86-64-v3 that level's image"
  # An app for a RID the image cannot serve keeps lib/'s IL, without an error (evaluation only: no Windows packs needed).
  for rid in win-x64 osx-arm64; do
    on=$(consumer_property GanCoreReadyToRun -p:RuntimeIdentifier=$rid -p:PublishReadyToRun=true)
    [ "$on" = false ] || fail "GanCoreReadyToRun is '$on' for an app built for $rid; it must stay off there"
  done
  say "  an app for win-x64 or osx-arm64 keeps the IL"
fi

say "passed: GanCore $version packs, installs from a package feed and trains ($((SECONDS - t_start)) s)"
