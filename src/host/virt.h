/* SPDX-License-Identifier: MIT */
/* Which hypervisor, if any, the host runs under, decided from files only (DMI,
 * /proc/cpuinfo, /sys/hypervisor, /proc/cmdline, PCI ids), in the spirit of
 * systemd-detect-virt (systemd src/basic/virt.c) but usable on a fixture root. */
#ifndef KRES_VIRT_H
#define KRES_VIRT_H

#include <stdbool.h>

#include "util/rootfs.h"

enum virt_kind {
	VIRT_NONE,        /* bare metal */
	VIRT_KVM,         /* QEMU/KVM, Proxmox, OpenStack, KubeVirt */
	VIRT_QEMU,        /* QEMU without KVM (TCG) */
	VIRT_FIRECRACKER, /* Firecracker (or Cloud Hypervisor) microVM: no DMI */
	VIRT_AMAZON,      /* AWS EC2 Nitro */
	VIRT_MICROSOFT,   /* Hyper-V, Azure */
	VIRT_VMWARE,
	VIRT_XEN,
	VIRT_OTHER,       /* the hypervisor CPU flag without a recognised vendor */
};

/* The inputs of the decision, read by virt_read(). */
struct virt_inputs {
	char sys_vendor[128], product_name[128], bios_vendor[128], board_vendor[128];
	bool has_dmi;
	bool hypervisor_flag; /* "hypervisor" in /proc/cpuinfo flags */
	char cpu_model[64];   /* the first "model name" of /proc/cpuinfo */
	bool kvm_clock;       /* "kvm-clock" among the available clocksources */
	char hypervisor_type[32]; /* /sys/hypervisor/type */
	bool proc_xen;
	bool cmdline_virtio_mmio; /* "virtio_mmio.device=" on the kernel command line */
	bool pci_fc_hostbridge;   /* PCI host bridge 8086:0d57 (Firecracker/Cloud Hypervisor) */
	bool virtio_mmio_devices; /* virtio devices on the platform (mmio) bus */
};

struct virt {
	enum virt_kind kind;
	char evidence[256]; /* what decided it, for the finding */
};

void virt_read(const struct rootfs *r, struct virt_inputs *in);
/* Pure decision from the inputs. */
void virt_decide(const struct virt_inputs *in, struct virt *v);
const char *virt_name(enum virt_kind k);

#endif
