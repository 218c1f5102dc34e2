#!/usr/bin/env bash
# The whole test suite: installs what is missing (scripts/setup.sh), builds, checks the formatting
# (scripts/format.sh --check) and function lengths (scripts/function_lengths.py), runs every test.
# Tests that use the machine's one pcscd and its virtual readers never run in parallel (ctest
# RESOURCE_LOCK); the rest run two at a time.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="${ONECARD_BUILD_DIR:-$top/build}"
"$top/scripts/setup.sh" "$build_dir"
# The sources follow .clang-format (a formatting slip fails here, before the long tests).
"$top/scripts/format.sh" --check
# No library function over 80 lines (ARCHITECTURE.md): a long one fails here, naming itself.
(cd "$top" && python3 scripts/function_lengths.py --most 0 --over 80)
cd "$build_dir"
ctest --output-on-failure -j2 --timeout 900
