#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the lab guest: Debian's kernel (the newest /boot/vmlinuz-*-amd64 whose
# headers are installed), an initramfs with busybox, kres and its shared libraries,
# dmsetup and mke2fs, the needed modules of that kernel, the soft-lockup module built
# against its headers, the static labtool, /init and the scenario scripts.
#
#   tests/lab/build.sh KRES OUTDIR     writes OUTDIR/initramfs.cpio.gz, OUTDIR/kernel
#
# Every missing prerequisite is an error naming the package that provides it.
set -euo pipefail
kres=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "lab: $*" >&2; exit 1; }

[ -x "$kres" ] || die "kres binary '$kres' not found (run make first)"
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
	die "/bin/busybox is missing or not static: install busybox-static"
for t in dmsetup mke2fs cpio gzip gcc modprobe; do
	command -v "$t" >/dev/null || die "'$t' not found: install dmsetup, e2fsprogs, cpio, gzip, gcc and kmod"
done

kver=
for k in $(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's,.*/vmlinuz-,,' | sort -V -r); do
	[ -e "/lib/modules/$k/build/Makefile" ] && { kver=$k; break; }
done
[ -n "$kver" ] || die "no Debian kernel with headers: install linux-image-amd64 and linux-headers-amd64"

rm -rf "$out/root" "$out/mod"
mkdir -p "$out/root"/{bin,sbin,lib,lab,proc,sys,dev,run,tmp,mnt,etc} "$out/mod"
root=$out/root

# busybox and its applets as links.
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done

# A dynamically linked program with every library ldd names, at the same paths.
copy_dyn() {
	local exe=$1 dest=$2 lib
	cp "$exe" "$root/$dest"
	for lib in $(ldd "$exe" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_dyn "$kres" bin/kres
copy_dyn "$(command -v dmsetup)" sbin/dmsetup
copy_dyn "$(command -v mke2fs)" sbin/mke2fs
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

# labtool: static, called through its links.
gcc -static -O2 -Wall -Wextra -Werror -o "$root/bin/labtool" "$here/labtool.c"
for l in hog segv labwrite httpget; do ln -s labtool "$root/bin/$l"; done

# Modules of the guest kernel the scenarios load, in dependency order.
: >"$root/lab/modules.list"
while read -r cmd path _; do
	[ "$cmd" = insmod ] || continue
	rel=${path#/lib/modules/}
	grep -qxF "$rel" "$root/lab/modules.list" && continue
	mkdir -p "$root/lib/modules/$(dirname "$rel")"
	cp "$path" "$root/lib/modules/$rel"
	echo "$rel" >>"$root/lab/modules.list"
done < <(modprobe -S "$kver" -a --show-depends loop dm-mod ext4)
[ -s "$root/lab/modules.list" ] || die "modprobe found no modules for $kver"

# The soft-lockup module, built against the guest kernel's headers.
cp "$here/mod/kres_lockup.c" "$here/mod/Kbuild" "$out/mod/"
# With the kernel's own compiler: not kres's CC or make variables (CC=clang SAN=1).
env -u CC -u CFLAGS -u LDFLAGS -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -s -C "/lib/modules/$kver/build" M="$(cd "$out/mod" && pwd)" modules >"$out/mod/build.log" 2>&1 ||
	die "building kres_lockup.ko against $kver failed: $out/mod/build.log"
cp "$out/mod/kres_lockup.ko" "$root/lab/"

cp "$here/init" "$root/init"
chmod 0755 "$root/init"
cp "$here"/guest/*.sh "$root/lab/"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out/initramfs.cpio.gz"
echo "/boot/vmlinuz-$kver" >"$out/kernel"
echo "lab: guest kernel $kver, initramfs $(du -k "$out/initramfs.cpio.gz" | cut -f1) KiB" >&2
