# Sourced by the CI scripts. pe_machine FILE prints the machine field of a PE file's COFF header, in hex (the 4-byte
# offset of the PE header sits at byte 60; the machine field follows its 4-byte signature). 014c: an IL-only assembly.
# A ReadyToRun image XORs its architecture with an OS value, so on Linux x64 code reads fd1d (0x8664 ^ 0x7b79) and
# arm64 code d11d (0xaa64 ^ 0x7b79). Prints nothing and returns 1 for a missing file.
pe_machine() {
  [ -f "$1" ] || return 1
  local pe
  pe=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ')
  od -An -tx2 -j$((pe + 4)) -N2 "$1" | tr -d ' '
}
