#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages kres needs and that are missing: `deps.sh build` for
# building, `deps.sh test` for building and running every test. Runs apt-get only
# when something is missing, so it is quick on a prepared machine.
set -euo pipefail

# libvectorscan-dev (Hyperscan API), libpcre2-dev, libsystemd-dev, zlib1g-dev: kres log.
# libncurses-dev (ncursesw): the kres top screen.
# libmicrohttpd-dev (HTTP, TLS through GnuTLS) and libcrypt-dev (bcrypt passwords): kres serve.
build_pkgs=(gcc make libc6-dev pkg-config libvectorscan-dev libpcre2-dev libsystemd-dev zlib1g-dev libncurses-dev libmicrohttpd-dev libcrypt-dev)
# cmocka: unit tests; clang + libclang-rt: libFuzzer and the clang build;
# postgresql, mariadb-server, redis-server: the real-server tests; jq: reading kres's JSON in shell tests;
# procps: sysctl, the peer of bench/check.sh;
# systemd-journal-remote: turns the journal fixture (export format) into the .journal file
# that test_journal reads, since test machines need not run journald.
# perl (with JSON::PP): renders the log corpus in every format and compares expectations.
# tmux: drives the kres top screen in a pseudo-terminal and captures it.
# prometheus (with promtool): lints /metrics, tests the alert rules and scrapes kres serve;
# curl: the HTTP client of the serve tests; openssl: makes the TLS test certificate;
# apache2-utils: htpasswd -B makes the bcrypt password of the basic-auth test.
test_pkgs=(libcmocka-dev clang libclang-rt-14-dev postgresql mariadb-server mariadb-client redis-server redis-tools jq procps systemd-journal-remote perl tmux prometheus curl openssl apache2-utils)
# The lab (tests/lab): qemu-system-x86 boots Debian's own kernel (linux-image-amd64)
# under TCG; linux-headers-amd64 builds the soft-lockup test module against it;
# busybox-static is the guest's userland; dmsetup and e2fsprogs (mke2fs) make the
# device-mapper and ext4 faults; cpio packs the initramfs; kmod resolves the modules.
lab_pkgs=(qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static dmsetup e2fsprogs cpio kmod jq)
# sysstat (vmstat's peer pidstat) and time (GNU time): the peers and the meter of bench/sample.sh.
# prometheus-node-exporter and curl: the peer and the client of bench/serve.sh.
bench_pkgs=(sysstat time procps prometheus-node-exporter curl)

case "${1:-build}" in
build) want=("${build_pkgs[@]}") ;;
test) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${lab_pkgs[@]}") ;;
lab) want=("${build_pkgs[@]}" "${lab_pkgs[@]}") ;;
bench) want=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 build|test|lab|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# The postgresql package starts a cluster on install; the tests run their own server
# and never touch it, but a policy-rc.d keeps the install from starting services on
# machines where that is not wanted.
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
