#!/usr/bin/env bash
# Installs everything OneCard needs to build, run and test on Debian 12 (bookworm), then builds it.
# Idempotent: when every package is already present it only (re)builds, which is quick.
# Also installs the npm packages pinned in package-lock.json (node_modules/).
# Usage: scripts/setup.sh [--no-build] [build-dir]
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$top/build"
do_build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) do_build=0 ;;
    *) build_dir="$arg" ;;
  esac
done

# Packages from bookworm itself.
packages=(
  build-essential cmake pkg-config git ca-certificates
  libssl-dev openssl sqlite3 libsodium-dev
  libjemalloc-dev
  libboost1.81-dev
  libpcsclite-dev pcscd pcsc-tools opensc
  vsmartcard-vpcd vsmartcard-vpicc python3-virtualsmartcard python3-pycryptodome
  libprotobuf-dev protobuf-compiler
  nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  procps psmisc
  clang-14 libfuzzer-14-dev clang-format-14
  unicode-data
  fonts-noto-cjk  # Chinese glyphs for headless Chromium (the dashboard's browser tests)
)
# Packages from bookworm-backports (SQLCipher 4; bookworm has only 3.4.1).
backports=(libsqlcipher-dev sqlcipher)

missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

need=$(missing "${packages[@]}")
need_bp=$(missing "${backports[@]}")
if [ -n "$need" ] || [ -n "$need_bp" ]; then
  export DEBIAN_FRONTEND=noninteractive
  bp_list=/etc/apt/sources.list.d/onecard-backports.sources
  if [ ! -f "$bp_list" ]; then
    # Reuse the archive address of the machine's own Debian source; name no host here.
    uris=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$uris" | "${sudo_cmd[@]}" tee "$bp_list" >/dev/null
  fi
  "${sudo_cmd[@]}" apt-get update -q
  if [ -n "$need" ]; then
    # shellcheck disable=SC2086
    "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends $need
  fi
  if [ -n "$need_bp" ]; then
    # shellcheck disable=SC2086
    "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends -t bookworm-backports $need_bp
  fi
fi

# The web front ends' tools: Node and npm (any Node 20 source will do; this machine's may come from
# nodesource, which has no separate npm package, so look for the commands, not the packages) and
# Debian's Chromium for the browser tests.
web_need=()
command -v node >/dev/null || web_need+=(nodejs)
command -v npm >/dev/null || web_need+=(npm)
[ -x /usr/bin/chromium ] || web_need+=(chromium)
if [ ${#web_need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${web_need[@]}"
fi

# The npm packages, exactly as pinned in package-lock.json (ECharts is embedded in onecard-server
# at build time; playwright-core drives the browser tests). Reinstalled only when the lock file
# is newer than what is installed.
if [ ! -d "$top/node_modules" ] || [ "$top/package-lock.json" -nt "$top/node_modules" ]; then
  (cd "$top" && npm ci --ignore-scripts --no-audit --no-fund)
  touch "$top/node_modules"
fi

if [ "$do_build" -eq 1 ]; then
  cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build_dir" -j"$(nproc)"
fi
