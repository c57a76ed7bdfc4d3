// SPDX-License-Identifier: MIT
/* Which hypervisor the host is a guest of, from files only: DMI strings first, then
 * Xen's files, then the signs of a microVM without firmware tables (Firecracker),
 * then the bare "hypervisor" CPU flag; the order of systemd-detect-virt
 * (systemd src/basic/virt.c detect_vm()) without CPUID. */
#include "host/virt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* /proc/cpuinfo on a machine with hundreds of CPUs is about 1 MiB. */
#define CPUINFO_MAX_BYTES (16 * 1024 * 1024)
#define SMALL_FILE_MAX 4096

/* How a DMI match is refined by the other inputs. */
enum dmi_rule {
	DR_PLAIN,
	DR_QEMU,   /* QEMU with the hypervisor flag is QEMU/KVM; without it, TCG */
	DR_AMAZON, /* an EC2 instance type containing ".metal" is bare metal */
	DR_MSVM,   /* only with product_name "Virtual Machine": Surface laptops share the vendor */
};

/* Vendor prefixes of systemd src/basic/virt.c dmi_vendor_table, matched against
 * each DMI string in the order of dmi_fields. */
static const struct {
	const char *prefix;
	enum virt_kind kind;
	enum dmi_rule rule;
} dmi_vendors[] = {
	{"KVM", VIRT_KVM, DR_PLAIN},                   /* QEMU/KVM product_name, oVirt */
	{"OpenStack", VIRT_KVM, DR_PLAIN},             /* Nova instances, KVM underneath */
	{"KubeVirt", VIRT_KVM, DR_PLAIN},              /* KubeVirt VMs, KVM underneath */
	{"Amazon EC2", VIRT_AMAZON, DR_AMAZON},        /* Nitro: KVM, but named for EC2 */
	{"QEMU", VIRT_QEMU, DR_QEMU},                  /* sys_vendor of plain QEMU, Proxmox */
	{"VMware", VIRT_VMWARE, DR_PLAIN},             /* VMware KB 1009458 */
	{"VMW", VIRT_VMWARE, DR_PLAIN},                /* VMware product names "VMW..." */
	/* Hyper-V and Azure; not in systemd's table, which relies on CPUID there. */
	{"Microsoft Corporation", VIRT_MICROSOFT, DR_MSVM},
	{"Hyper-V", VIRT_MICROSOFT, DR_PLAIN},         /* Hyper-V UEFI firmware strings */
	{"innotek GmbH", VIRT_OTHER, DR_PLAIN},        /* VirtualBox */
	{"VirtualBox", VIRT_OTHER, DR_PLAIN},          /* VirtualBox */
	{"Oracle Corporation", VIRT_OTHER, DR_PLAIN},  /* VirtualBox board_vendor */
	{"Xen", VIRT_XEN, DR_PLAIN},                   /* Xen HVM, older EC2 */
	{"Bochs", VIRT_OTHER, DR_PLAIN},               /* Bochs */
	{"Parallels", VIRT_OTHER, DR_PLAIN},           /* Parallels Desktop */
	{"BHYVE", VIRT_OTHER, DR_PLAIN},               /* FreeBSD bhyve */
	{"Apple Virtualization", VIRT_OTHER, DR_PLAIN}, /* macOS Virtualization.framework */
	{"Google Compute Engine", VIRT_OTHER, DR_PLAIN}, /* GCE, KVM underneath */
};

/* The DMI strings in systemd's order: product_name first, to tell KVM from QEMU. */
static const struct {
	const char *name; /* file under /sys/class/dmi/id */
	size_t off;       /* where struct virt_inputs keeps it */
} dmi_fields[] = {
	{"product_name", offsetof(struct virt_inputs, product_name)},
	{"sys_vendor", offsetof(struct virt_inputs, sys_vendor)},
	{"board_vendor", offsetof(struct virt_inputs, board_vendor)},
	{"bios_vendor", offsetof(struct virt_inputs, bios_vendor)},
};
/* Every DMI string has the size of sys_vendor. */
#define DMI_LEN sizeof(((struct virt_inputs *)0)->sys_vendor)

static const char *const virt_names[] = {
	[VIRT_NONE] = "none",
	[VIRT_KVM] = "kvm",
	[VIRT_QEMU] = "qemu",
	[VIRT_FIRECRACKER] = "firecracker",
	[VIRT_AMAZON] = "amazon",
	[VIRT_MICROSOFT] = "microsoft",
	[VIRT_VMWARE] = "vmware",
	[VIRT_XEN] = "xen",
	[VIRT_OTHER] = "vm-other",
};

const char *virt_name(enum virt_kind k)
{
	if ((unsigned)k >= ARRAY_SIZE(virt_names) || !virt_names[k])
		return "vm-other";
	return virt_names[k];
}

/* ---- reading ---- */

/* Reads a one-line file, trimmed, into dst; empty when missing. */
static void read_line_file(const struct rootfs *r, const char *path, char *dst, size_t n)
{
	char *text;
	dst[0] = '\0';
	ssize_t len = rootfs_read(r, path, SMALL_FILE_MAX, &text);
	if (len < 0)
		return;
	span_copy(span_trim((struct span){text, (size_t)len}), dst, n);
	free(text);
}

/* Whether the whitespace-separated words of `rest` include `word`. */
static bool span_has_word(struct span rest, const char *word)
{
	struct span tok[1];
	while (rest.n && span_split_ws(rest, tok, 1) > 0) {
		if (span_eq(tok[0], word))
			return true;
		rest.n -= (size_t)(tok[0].p + tok[0].n - rest.p);
		rest.p = tok[0].p + tok[0].n;
	}
	return false;
}

/* From the first CPU of /proc/cpuinfo: the "flags" line lists "hypervisor" when
 * CPUID leaf 1 ECX bit 31 is set (arch/x86/include/asm/cpufeatures.h
 * X86_FEATURE_HYPERVISOR), and "model name" is the CPU's brand string. */
static void cpuinfo_read(const struct rootfs *r, struct virt_inputs *in)
{
	char *text;
	ssize_t len = rootfs_read(r, "/proc/cpuinfo", CPUINFO_MAX_BYTES, &text);
	if (len < 0)
		return;
	struct lineiter it;
	struct span ln;
	lineiter_init(&it, text, (size_t)len);
	while (lineiter_next(&it, &ln)) {
		const char *colon = memchr(ln.p, ':', ln.n);
		if (!colon)
			continue;
		struct span key = span_trim((struct span){ln.p, (size_t)(colon - ln.p)});
		struct span val = {colon + 1, ln.n - (size_t)(colon + 1 - ln.p)};
		if (span_eq(key, "model name") && !in->cpu_model[0]) {
			span_copy(span_trim(val), in->cpu_model, sizeof(in->cpu_model));
		} else if (span_eq(key, "flags")) {
			in->hypervisor_flag = span_has_word(val, "hypervisor");
			break;
		}
	}
	free(text);
}

/* KVM's paravirtual clock registers only when the kernel finds KVM's CPUID
 * signature (arch/x86/kernel/kvmclock.c kvmclock_init), so QEMU without KVM has
 * none; booting with no-kvmclock hides it too. */
static bool has_kvm_clock(const struct rootfs *r)
{
	char *text;
	ssize_t len = rootfs_read(r, "/sys/devices/system/clocksource/clocksource0/available_clocksource",
				  SMALL_FILE_MAX, &text);
	if (len < 0)
		return false;
	bool found = span_has_word((struct span){text, (size_t)len}, "kvm-clock");
	free(text);
	return found;
}

/* Firecracker appends "virtio_mmio.device=<size>K@0x<base>:<irq>" for each device
 * (needs CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES; firecracker-microvm/firecracker#2519). */
static bool cmdline_has_virtio_mmio(const struct rootfs *r)
{
	char *text;
	ssize_t len = rootfs_read(r, "/proc/cmdline", SMALL_FILE_MAX * 4, &text);
	if (len < 0)
		return false;
	bool found = false;
	struct span rest = {text, (size_t)len}, tok[1];
	while (!found && span_split_ws(rest, tok, 1) > 0) {
		found = span_startswith(tok[0], "virtio_mmio.device=");
		rest.n -= (size_t)(tok[0].p + tok[0].n - rest.p);
		rest.p = tok[0].p + tok[0].n;
	}
	free(text);
	return found;
}

/* The PCI host bridge 8086:0d57 that the PCI roots of Cloud Hypervisor and of
 * Firecracker (whose PCI support comes from the same rust-vmm code) expose, as on
 * this project's Firecracker build guest. Whether a physical Intel chipset uses the
 * id was not checked against pci.ids; the rule also needs no DMI and the
 * hypervisor flag, which bare metal does not have. */
static bool pci_has_fc_hostbridge(const struct rootfs *r)
{
	struct strlist devs = {0};
	bool found = false;
	if (rootfs_list(r, "/sys/bus/pci/devices", &devs) > 0) {
		for (size_t i = 0; i < devs.n && !found; i++) {
			char path[512], vendor[16], device[16];
			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", devs.v[i]);
			read_line_file(r, path, vendor, sizeof(vendor));
			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", devs.v[i]);
			read_line_file(r, path, device, sizeof(device));
			found = !strcasecmp(vendor, "0x8086") && !strcasecmp(device, "0x0d57");
		}
	}
	strlist_release(&devs);
	return found;
}

/* A virtio device's sysfs link names its transport: a platform "virtio-mmio.N"
 * (from the command line or device tree) or ACPI "LNRO0005" device, or a PCI
 * function (vm-net-io.md 3.3; drivers/virtio/virtio_mmio.c). */
static bool virtio_on_mmio(const struct rootfs *r)
{
	struct strlist devs = {0};
	bool found = false;
	if (rootfs_list(r, "/sys/bus/virtio/devices", &devs) > 0) {
		for (size_t i = 0; i < devs.n && !found; i++) {
			char path[512], target[512];
			snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s", devs.v[i]);
			if (rootfs_readlink(r, path, target, sizeof(target)) <= 0)
				continue;
			found = strstr(target, "virtio-mmio") || strstr(target, "LNRO0005");
		}
	}
	strlist_release(&devs);
	return found;
}

void virt_read(const struct rootfs *r, struct virt_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->has_dmi = rootfs_isdir(r, "/sys/class/dmi/id");
	for (size_t f = 0; in->has_dmi && f < ARRAY_SIZE(dmi_fields); f++) {
		char path[64];
		snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", dmi_fields[f].name);
		read_line_file(r, path, (char *)in + dmi_fields[f].off, DMI_LEN);
	}
	cpuinfo_read(r, in);
	in->kvm_clock = has_kvm_clock(r);
	read_line_file(r, "/sys/hypervisor/type", in->hypervisor_type, sizeof(in->hypervisor_type));
	in->proc_xen = rootfs_exists(r, "/proc/xen");
	in->cmdline_virtio_mmio = cmdline_has_virtio_mmio(r);
	in->pci_fc_hostbridge = pci_has_fc_hostbridge(r);
	in->virtio_mmio_devices = virtio_on_mmio(r);
}

/* ---- deciding ---- */

/* Appends a DMI or sysfs string, which firmware controls, with anything but
 * printable ASCII shown as '?'. */
static void ev_quote(struct buf *ev, const char *s)
{
	buf_putc(ev, '\'');
	for (; *s; s++)
		buf_putc(ev, (*s >= 0x20 && *s < 0x7f) ? *s : '?');
	buf_putc(ev, '\'');
}

/* Applies the refinement of a matched DMI row. */
static void dmi_refine(const struct virt_inputs *in, enum dmi_rule rule, struct virt *v,
		       struct buf *ev)
{
	switch (rule) {
	case DR_QEMU:
		/* systemd goes on to CPUID, which says KVM under QEMU/KVM. Files show
		 * kvm-clock for that. The hypervisor flag alone does not tell: QEMU
		 * sets it under TCG too (seen in the lab guest, tests/lab), where the
		 * CPU of -cpu max is named "QEMU TCG CPU". */
		if (in->kvm_clock) {
			v->kind = VIRT_KVM;
			buf_puts(ev, "; kvm-clock clocksource (QEMU with KVM)");
		} else if (strstr(in->cpu_model, "QEMU TCG CPU")) {
			buf_puts(ev, "; CPU ");
			ev_quote(ev, in->cpu_model);
			buf_puts(ev, " (QEMU without KVM: TCG emulation)");
		} else if (in->hypervisor_flag) {
			v->kind = VIRT_KVM;
			buf_puts(ev, "; 'hypervisor' CPU flag (QEMU with KVM)");
		} else {
			buf_puts(ev, "; no 'hypervisor' CPU flag (QEMU without KVM)");
		}
		break;
	case DR_AMAZON:
		/* systemd virt.c: EC2 bare-metal instance types contain ".metal"
		 * ("m5.metal", "c7i.metal-24xl"); they run on no hypervisor. */
		if (strstr(in->product_name, ".metal")) {
			v->kind = VIRT_NONE;
			buf_puts(ev, "; product_name ");
			ev_quote(ev, in->product_name);
			buf_puts(ev, " is a bare-metal instance");
		}
		break;
	case DR_MSVM:
		buf_puts(ev, "; product_name 'Virtual Machine'");
		break;
	case DR_PLAIN:
		break;
	}
}

static bool decide_dmi(const struct virt_inputs *in, struct virt *v, struct buf *ev)
{
	if (!in->has_dmi)
		return false;
	for (size_t f = 0; f < ARRAY_SIZE(dmi_fields); f++) {
		const char *val = (const char *)in + dmi_fields[f].off;
		for (size_t i = 0; i < ARRAY_SIZE(dmi_vendors); i++) {
			const char *pre = dmi_vendors[i].prefix;
			if (strncmp(val, pre, strlen(pre)) != 0)
				continue;
			if (dmi_vendors[i].rule == DR_MSVM &&
			    strcmp(in->product_name, "Virtual Machine") != 0)
				continue;
			v->kind = dmi_vendors[i].kind;
			buf_appendf(ev, "DMI %s ", dmi_fields[f].name);
			ev_quote(ev, val);
			dmi_refine(in, dmi_vendors[i].rule, v, ev);
			return true;
		}
	}
	return false;
}

/* No firmware tables but a hypervisor and virtio-mmio or the Cloud Hypervisor
 * host bridge: a Firecracker-style microVM (vm-net-io.md 3.2). */
static bool decide_microvm(const struct virt_inputs *in, struct virt *v, struct buf *ev)
{
	if (in->has_dmi || !in->hypervisor_flag ||
	    !(in->cmdline_virtio_mmio || in->virtio_mmio_devices || in->pci_fc_hostbridge))
		return false;
	v->kind = VIRT_FIRECRACKER;
	buf_puts(ev, "no DMI tables; 'hypervisor' CPU flag");
	if (in->cmdline_virtio_mmio)
		buf_puts(ev, "; 'virtio_mmio.device=' on the kernel command line");
	if (in->virtio_mmio_devices)
		buf_puts(ev, "; virtio devices on the mmio bus");
	if (in->pci_fc_hostbridge)
		buf_puts(ev, "; PCI host bridge 8086:0d57 (Firecracker / Cloud Hypervisor)");
	return true;
}

static bool decide_xen(const struct virt_inputs *in, struct virt *v, struct buf *ev)
{
	if (strcmp(in->hypervisor_type, "xen") != 0 && !in->proc_xen)
		return false;
	v->kind = VIRT_XEN;
	buf_puts(ev, in->proc_xen ? "/proc/xen exists" : "/sys/hypervisor/type is 'xen'");
	return true;
}

void virt_decide(const struct virt_inputs *in, struct virt *v)
{
	struct buf ev = BUF_INIT;
	memset(v, 0, sizeof(*v));
	if (decide_dmi(in, v, &ev) || decide_xen(in, v, &ev) || decide_microvm(in, v, &ev)) {
		/* decided by a vendor, Xen or the microVM signs */
	} else if (in->hypervisor_flag) {
		v->kind = VIRT_OTHER;
		buf_puts(&ev, in->has_dmi ? "'hypervisor' CPU flag; no known DMI vendor"
					  : "'hypervisor' CPU flag; no DMI tables");
	} else if (in->hypervisor_type[0]) {
		/* systemd detect_vm_hypervisor(): any other type is a VM of some kind. */
		v->kind = VIRT_OTHER;
		buf_puts(&ev, "/sys/hypervisor/type is ");
		ev_quote(&ev, in->hypervisor_type);
	} else {
		v->kind = VIRT_NONE;
		buf_puts(&ev, "no virtual DMI vendor, no 'hypervisor' CPU flag, no Xen files");
	}
	str_copy(v->evidence, sizeof(v->evidence), buf_str(&ev));
	buf_release(&ev);
}
