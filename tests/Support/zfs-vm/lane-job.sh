#!/bin/sh
# The OpenZFS lane's checks, run inside the VM by zfs-lane-init with the output directory as $1. The job directory
# holds a.img, b.img (the lane images), ours-full.zfs (A), ours-incremental.zfs (A -> B) and ours-wrong-base.zfs
# (C -> B), all written by our code. Each check prints one "CHECK <name> <result>" line.
out=$1
set -u
/lib/systemd/systemd-udevd --daemon
udevadm trigger --action=add >/dev/null 2>&1
truncate -s 1G /var/tmp/pool.img
zpool create -f -O compression=lz4 lane /var/tmp/pool.img || { echo "CHECK pool failed"; exit 1; }
device() { udevadm settle; for i in $(seq 1 120); do [ -e "/dev/zvol/$1" ] && return 0; sleep 0.5; done; return 1; }
same() { device "$1" && cmp "/dev/zvol/$1" "$2"; }

# (1) Our streams received by the real zfs receive, the zvol equal to the target image.
zfs receive lane/ours@1 < ours-full.zfs && same lane/ours a.img && echo "CHECK ours-full equal" || echo "CHECK ours-full different"
zfs receive lane/ours@2 < ours-incremental.zfs && same lane/ours b.img && echo "CHECK ours-incremental equal" || echo "CHECK ours-incremental different"
echo "GUIDS ours $(zfs get -Hp -o value guid lane/ours@1) $(zfs get -Hp -o value guid lane/ours@2)"
zfs get -Hp volblocksize,volsize lane/ours

# (3) An incremental from a base this zvol never had is refused by zfs receive.
if zfs receive lane/ours@3 < ours-wrong-base.zfs; then echo "CHECK wrong-base accepted"; else echo "CHECK wrong-base refused"; fi

# (2) A real zvol written here, two snapshots, real streams brought out.
zfs create -V 16M -b 16K -o checksum=sha256 lane/real && device lane/real || { echo "CHECK real failed"; exit 1; }
dd if=a.img of=/dev/zvol/lane/real bs=1M conv=fsync 2>/dev/null && zfs snapshot lane/real@a
dd if=b.img of=/dev/zvol/lane/real bs=1M conv=fsync 2>/dev/null && zfs snapshot lane/real@b
zfs send lane/real@a > "$out/real-full.zfs" && zfs send -i @a lane/real@b > "$out/real-incremental.zfs" && echo "CHECK real-send made"
printf '%s %s\n' "$(zfs get -Hp -o value guid lane/real@a)" "$(zfs get -Hp -o value guid lane/real@b)" > "$out/real-guids"
# The real incremental onto a zvol that lacks its base (our zvol) is refused too.
if zfs receive -F lane/ours@4 < "$out/real-incremental.zfs"; then echo "CHECK real-wrong-base accepted"; else echo "CHECK real-wrong-base refused"; fi
zfs version > "$out/zfs-version" 2>&1
zpool export lane
