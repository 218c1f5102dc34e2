#!/usr/bin/env bash
# The whole test suite: installs what is missing (scripts/setup.sh), builds, runs every test.
# Tests that use the machine's one pcscd and its virtual readers never run in parallel (ctest
# RESOURCE_LOCK); the rest run two at a time.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="${ONECARD_BUILD_DIR:-$top/build}"
"$top/scripts/setup.sh" "$build_dir"
cd "$build_dir"
ctest --output-on-failure -j2 --timeout 900
