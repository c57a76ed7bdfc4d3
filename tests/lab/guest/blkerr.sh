# Block I/O and ext4 errors: ext4 on a device-mapper device over a loop device; the
# table is swapped for the error target while mounted. Then `ls` in the file system
# makes ext4 write its superblock and meet the failed metadata writeback ("EXT4-fs
# error ... ext4_check_bdev_write_error" on 6.1, after "Buffer I/O error ... lost
# sync page write"), and one buffered read of the raw device (readahead off) fails
# ("Buffer I/O error ... async page read", one line per 1 KiB block of the page).
expect=ext4_error
scenario_run() {
	truncate -s 32M /run/disk.img
	losetup /dev/loop0 /run/disk.img || { why="losetup failed"; return 1; }
	sectors=$(blockdev --getsz /dev/loop0)
	echo "0 $sectors linear /dev/loop0 0" | dmsetup create --noudevsync lab && dmsetup mknodes lab || { why="dmsetup create failed"; return 1; }
	/sbin/mke2fs -q -t ext4 /dev/mapper/lab || { why="mke2fs failed"; return 1; }
	mkdir -p /mnt && mount -t ext4 /dev/mapper/lab /mnt || { why="mount failed"; return 1; }
	mkdir /mnt/d && echo data >/mnt/d/f && sync
	for d in /sys/block/dm-*; do [ "$(cat "$d/dm/name")" = lab ] && dev=${d##*/}; done
	fact device "$dev"
	# dd reads 4 KiB at byte 409600; the kernel names buffers in the device's block size.
	fact first_block $((409600 / $(blockdev --getbsz /dev/mapper/lab)))
	echo 3 >/proc/sys/vm/drop_caches
	echo "0 $sectors error" | dmsetup reload --noudevsync lab && dmsetup resume --noudevsync lab || { why="error table failed"; return 1; }
	blockdev --setra 0 /dev/mapper/lab
	/bin/ls /mnt/d >/dev/null 2>&1
	dd if=/dev/mapper/lab of=/dev/null bs=4096 skip=100 count=1 2>/dev/null
	wait_for 10 dmesg_has "EXT4-fs error (device $dev)" || { why="no EXT4-fs error in dmesg"; return 1; }
	wait_for 10 dmesg_has "Buffer I/O error on dev $dev" || { why="no Buffer I/O error in dmesg"; return 1; }
}
