#!/usr/bin/env bash
# Installs the Debian 12 packages impd needs to build, test and run; a no-op when all are there.
# Server packages (prosody, ejabberd, kamailio, ...) must not start system daemons on install:
# the tests start their own instances on loopback, so policy-rc.d forbids maintainer-script starts.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev openssl libexpat1-dev libc-ares-dev libsqlite3-dev libpq-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libcli11-dev libidn2-dev libicu-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
test_pkgs=(python3 python3-pytest python3-slixmpp python3-aioxmpp python3-cryptography dnsmasq-base prosody lua-unbound ejabberd
           sip-tester kamailio kamailio-presence-modules kamailio-tls-modules)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]} (run as root, or install them with apt-get)" >&2
  exit 1
fi
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
