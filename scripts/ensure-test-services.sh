#!/usr/bin/env bash
# `npm test`'s pretest: makes sure the real services the integration tests use are installed.
# Tests start their own instances on free ports (test/support/services.ts); this script only
# installs the programs. As root with apt-get it installs what is missing; otherwise it prints
# the exact command to run and fails, rather than letting suites fail later in confusing ways.
set -euo pipefail

declare -A binary_of_package=(
  [redis-server]=redis-server
  [etcd-server]=etcd
  [pebble]=pebble
  # Real TLS clients in the HTTPS tests, and test CAs for pebble.
  [openssl]=openssl
  [curl]=curl
  [git]=git
  # Docker provider tests and the container image (the test helpers start dockerd).
  [docker.io]=dockerd
  [etcd-client]=etcdctl
)

missing=()
for package in "${!binary_of_package[@]}"; do
  command -v "${binary_of_package[$package]}" >/dev/null 2>&1 || missing+=("$package")
done

# The Docker tests copy busybox into an empty image: it must be the static build, whose binary
# name is shared with the dynamic `busybox` package, so ask dpkg rather than PATH.
if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'; then
  missing+=(busybox-static)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

install_command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "affineur tests: installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts daemons on install where it can; the tests start their own instances.
  exit 0
fi

echo "affineur tests need these Debian packages, which are missing: ${missing[*]}" >&2
echo "Install them with:" >&2
echo "  sudo sh -c '$install_command'" >&2
exit 1
