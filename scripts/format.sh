#!/usr/bin/env bash
# Formats OneCard's C++ sources with .clang-format (clang-format from Debian 12, version 14).
#   scripts/format.sh          rewrites every file that is not formatted
#   scripts/format.sh --check  changes nothing; lists the files that are not formatted and fails
# Sources: *.cc and *.h tracked by git or new (not ignored); generated and third-party files are neither.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
formatter=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z "$formatter" ]]; then
  echo "format.sh: clang-format is not installed (scripts/setup.sh installs it)" >&2
  exit 2
fi
# Untracked files count too (not the ignored ones), so a new file is formatted before its first commit.
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cc' '*.h')
if [[ "${1:-}" == "--check" ]]; then
  # One clang-format run over all files; each finding names its file ("path:line:col: error: ...").
  mapfile -t unformatted < <("$formatter" --style=file --dry-run "${files[@]}" 2>&1 |
    sed -nE 's/^([^:]+\.(cc|h)):[0-9]+:[0-9]+: (warning|error):.*/\1/p' | sort -u)
  if ((${#unformatted[@]} > 0)); then
    echo "format.sh: ${#unformatted[@]} files are not formatted (run scripts/format.sh):" >&2
    printf '  %s\n' "${unformatted[@]}" >&2
    exit 1
  fi
  echo "format.sh: ${#files[@]} files formatted"
  exit 0
fi
"$formatter" --style=file -i "${files[@]}"
