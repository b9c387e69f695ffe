#!/usr/bin/env bash
# Builds and runs the GanCore / TorchSharp comparison (README.md). Arguments are passed to the program, e.g.
#   benchmarks/TorchSharpComparison/run.sh --sizes 256x512,2048x1024 --rounds 5
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dotnet build "$here/TorchSharpComparison.csproj" -c Release --nologo -v q
out="$here/bin/Release/net10.0"

# libtorch 2.10's LibTorchSharp.so needs libstdc++ from GCC 13 or later (symbol version GLIBCXX_3.4.32). Debian 12 ships
# GCC 12's. Then run under Debian 13's C and C++ runtimes, unpacked into a private folder (nothing is installed system-wide):
# a copy of the app host whose ELF interpreter is that folder's ld.so, with LD_LIBRARY_PATH pointing there.
if strings "$(ldconfig -p | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')" | grep -q GLIBCXX_3.4.32; then
  exec "$out/TorchSharpComparison" "$@"
fi

rt="${TORCHSHARP_RUNTIME_DIR:-$here/obj/trixie-runtime}"
lib="$rt/root/usr/lib/x86_64-linux-gnu"
if [ ! -e "$lib/libstdc++.so.6" ]; then
  mkdir -p "$rt/lists/partial" "$rt/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$rt/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$rt/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$rt/lists" -o "Dir::Cache::archives=$rt/archives")
  apt-get "${apt_opts[@]}" update
  (cd "$rt" && apt-get "${apt_opts[@]}" download libc6 libstdc++6 libgcc-s1)
  for deb in "$rt"/*.deb; do dpkg -x "$deb" "$rt/root"; done
fi

command -v patchelf > /dev/null || { echo "patchelf is needed (apt-get install patchelf)" >&2; exit 1; }
cp "$out/TorchSharpComparison" "$out/TorchSharpComparison.newlibc"
patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" "$out/TorchSharpComparison.newlibc"
exec env DOTNET_ROOT="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}" LD_LIBRARY_PATH="$lib" \
  "$out/TorchSharpComparison.newlibc" "$@"
