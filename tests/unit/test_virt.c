// SPDX-License-Identifier: MIT
/* Hypervisor detection: the decision for each platform of vm-net-io.md 3.2, the
 * inputs read from fixture trees, and this build machine (a Firecracker guest). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/virt.h"
#include "tree.h"

struct dmi {
	const char *sys, *product, *bios, *board;
};

/* The other inputs, as bits. */
enum {
	FLAG = 1,    /* "hypervisor" CPU flag */
	PXEN = 2,    /* /proc/xen exists */
	CMDLINE = 4, /* virtio_mmio.device= on the command line */
	PCIFC = 8,   /* PCI 8086:0d57 */
	MMIO = 16,   /* virtio devices on the mmio bus */
	KCLOCK = 32, /* kvm-clock among the available clocksources */
	TCG = 64,    /* CPU model name "QEMU TCG CPU version 2.5+" (QEMU -cpu max, TCG) */
};

#define NODMI {NULL, NULL, NULL, NULL}
#define NOTHING "no virtual DMI vendor, no 'hypervisor' CPU flag, no Xen files"

static const struct {
	const char *name;
	struct dmi dmi; /* sys NULL: no DMI tables */
	const char *hvtype;
	unsigned bits;
	enum virt_kind want;
	const char *evidence;
} cases[] = {
	{"proxmox qemu/kvm i440fx", {"QEMU", "Standard PC (i440FX + PIIX, 1996)", "SeaBIOS", ""},
	 "", FLAG, VIRT_KVM, "DMI sys_vendor 'QEMU'; 'hypervisor' CPU flag (QEMU with KVM)"},
	{"qemu q35 without the flag", {"QEMU", "Standard PC (Q35 + ICH9, 2009)", "EDK II", ""}, "", 0,
	 VIRT_QEMU, "DMI sys_vendor 'QEMU'; no 'hypervisor' CPU flag (QEMU without KVM)"},
	{"qemu/kvm with kvm-clock", {"QEMU", "Standard PC (Q35 + ICH9, 2009)", "EDK II", ""}, "",
	 FLAG | KCLOCK, VIRT_KVM, "DMI sys_vendor 'QEMU'; kvm-clock clocksource (QEMU with KVM)"},
	/* The lab guest (tests/lab): QEMU 7.2 -accel tcg -cpu max sets the hypervisor
	 * flag, has no kvm-clock and names its CPU "QEMU TCG CPU". */
	{"qemu tcg -cpu max", {"QEMU", "Standard PC (i440FX + PIIX, 1996)", "SeaBIOS", ""}, "",
	 FLAG | TCG, VIRT_QEMU,
	 "DMI sys_vendor 'QEMU'; CPU 'QEMU TCG CPU version 2.5+' (QEMU without KVM: TCG emulation)"},
	{"kvm-clock wins over a TCG-like name", {"QEMU", "Standard PC (i440FX + PIIX, 1996)", "", ""}, "",
	 FLAG | KCLOCK | TCG, VIRT_KVM, "DMI sys_vendor 'QEMU'; kvm-clock clocksource (QEMU with KVM)"},
	{"proxmox smbios1 product KVM", {"Proxmox", "KVM", "SeaBIOS", ""}, "", FLAG, VIRT_KVM,
	 "DMI product_name 'KVM'"},
	{"openstack nova", {"OpenStack Foundation", "OpenStack Nova", "SeaBIOS", ""}, "", FLAG,
	 VIRT_KVM, "DMI product_name 'OpenStack Nova'"},
	{"firecracker mmio cmdline", NODMI, "", FLAG | CMDLINE | MMIO, VIRT_FIRECRACKER,
	 "no DMI tables; 'hypervisor' CPU flag; 'virtio_mmio.device=' on the kernel command "
	 "line; virtio devices on the mmio bus"},
	{"firecracker pci", NODMI, "", FLAG | PCIFC, VIRT_FIRECRACKER,
	 "no DMI tables; 'hypervisor' CPU flag; PCI host bridge 8086:0d57 (Firecracker / Cloud "
	 "Hypervisor)"},
	{"microvm signs without the flag", NODMI, "", CMDLINE | PCIFC | MMIO, VIRT_NONE, NOTHING},
	{"microvm signs with DMI tables", {"", "", "", ""}, "", FLAG | CMDLINE, VIRT_OTHER,
	 "'hypervisor' CPU flag; no known DMI vendor"},
	{"aws nitro", {"Amazon EC2", "i3en.2xlarge", "Amazon EC2", "Amazon EC2"}, "", FLAG,
	 VIRT_AMAZON, "DMI sys_vendor 'Amazon EC2'"},
	{"aws metal", {"Amazon EC2", "m5.metal", "Amazon EC2", "Amazon EC2"}, "", 0, VIRT_NONE,
	 "DMI sys_vendor 'Amazon EC2'; product_name 'm5.metal' is a bare-metal instance"},
	{"aws metal sized", {"Amazon EC2", "c7i.metal-24xl", "Amazon EC2", "Amazon EC2"}, "", 0,
	 VIRT_NONE,
	 "DMI sys_vendor 'Amazon EC2'; product_name 'c7i.metal-24xl' is a bare-metal instance"},
	{"older ec2 xen hvm", {"Xen", "HVM domU", "Xen", ""}, "xen", FLAG, VIRT_XEN,
	 "DMI sys_vendor 'Xen'"},
	{"xen pv without dmi", NODMI, "xen", PXEN, VIRT_XEN, "/proc/xen exists"},
	{"xen by sysfs type", {"", "", "", ""}, "xen", FLAG, VIRT_XEN,
	 "/sys/hypervisor/type is 'xen'"},
	{"azure", {"Microsoft Corporation", "Virtual Machine", "Microsoft Corporation", ""}, "",
	 FLAG, VIRT_MICROSOFT,
	 "DMI sys_vendor 'Microsoft Corporation'; product_name 'Virtual Machine'"},
	{"surface laptop", {"Microsoft Corporation", "Surface Laptop 5", "Microsoft", ""}, "", 0,
	 VIRT_NONE, NOTHING},
	{"vmware", {"VMware, Inc.", "VMware Virtual Platform", "Phoenix Technologies LTD", ""}, "",
	 FLAG, VIRT_VMWARE, "DMI product_name 'VMware Virtual Platform'"},
	{"vmware fusion arm", {"VMware, Inc.", "VMware20,1", "VMware, Inc.", ""}, "", FLAG,
	 VIRT_VMWARE, "DMI product_name 'VMware20,1'"},
	{"vmware VMW prefix", {"VMW", "", "", ""}, "", FLAG, VIRT_VMWARE, "DMI sys_vendor 'VMW'"},
	{"virtualbox", {"innotek GmbH", "VirtualBox", "innotek GmbH", "Oracle Corporation"}, "",
	 FLAG, VIRT_OTHER, "DMI product_name 'VirtualBox'"},
	{"gce", {"Google", "Google Compute Engine", "Google", "Google"}, "", FLAG, VIRT_OTHER,
	 "DMI product_name 'Google Compute Engine'"},
	{"bare metal dell", {"Dell Inc.", "PowerEdge R740", "Dell Inc.", "Dell Inc."}, "", 0,
	 VIRT_NONE, NOTHING},
	{"unknown hypervisor with dmi", {"Acme", "Cloud VM", "Acme", ""}, "", FLAG, VIRT_OTHER,
	 "'hypervisor' CPU flag; no known DMI vendor"},
	{"unknown hypervisor without dmi", NODMI, "", FLAG, VIRT_OTHER,
	 "'hypervisor' CPU flag; no DMI tables"},
	{"other hypervisor type", NODMI, "s390", 0, VIRT_OTHER, "/sys/hypervisor/type is 's390'"},
	{"hostile dmi", {"QEMU\x01\xff", "", "", ""}, "", 0, VIRT_QEMU,
	 "DMI sys_vendor 'QEMU?\?'; no 'hypervisor' CPU flag (QEMU without KVM)"},
};

static void fill(struct virt_inputs *in, size_t i)
{
	memset(in, 0, sizeof(*in));
	if (cases[i].dmi.sys) {
		in->has_dmi = true;
		snprintf(in->sys_vendor, sizeof(in->sys_vendor), "%s", cases[i].dmi.sys);
		snprintf(in->product_name, sizeof(in->product_name), "%s", cases[i].dmi.product);
		snprintf(in->bios_vendor, sizeof(in->bios_vendor), "%s", cases[i].dmi.bios);
		snprintf(in->board_vendor, sizeof(in->board_vendor), "%s", cases[i].dmi.board);
	}
	snprintf(in->hypervisor_type, sizeof(in->hypervisor_type), "%s", cases[i].hvtype);
	in->hypervisor_flag = cases[i].bits & FLAG;
	in->proc_xen = cases[i].bits & PXEN;
	in->cmdline_virtio_mmio = cases[i].bits & CMDLINE;
	in->pci_fc_hostbridge = cases[i].bits & PCIFC;
	in->virtio_mmio_devices = cases[i].bits & MMIO;
	in->kvm_clock = cases[i].bits & KCLOCK;
	snprintf(in->cpu_model, sizeof(in->cpu_model), "%s",
		 cases[i].bits & TCG ? "QEMU TCG CPU version 2.5+" : "");
}

static void test_decide(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct virt_inputs in;
		struct virt v;
		print_message("case: %s\n", cases[i].name);
		fill(&in, i);
		virt_decide(&in, &v);
		assert_string_equal(virt_name(v.kind), virt_name(cases[i].want));
		assert_string_equal(v.evidence, cases[i].evidence);
	}
}

static void test_names(void **state)
{
	(void)state;
	static const char *const names[] = {"none",      "kvm",    "qemu", "firecracker", "amazon",
	                                    "microsoft", "vmware", "xen",  "vm-other"};
	for (int k = VIRT_NONE; k <= VIRT_OTHER; k++)
		assert_string_equal(virt_name((enum virt_kind)k), names[k]);
	assert_string_equal(virt_name((enum virt_kind)99), "vm-other");
}

/* ---- virt_read on fixture trees ---- */

static struct tree fx;

static const char cpuinfo_kvm[] =
	"processor\t: 0\n"
	"vendor_id\t: GenuineIntel\n"
	"model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\n"
	"flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
	"clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl "
	"xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand "
	"hypervisor lahf_lm abm 3dnowprefetch invpcid_single\n"
	"bugs\t\t: spectre_v1 spectre_v2\n"
	"\n"
	"processor\t: 1\n"
	"flags\t\t: fpu hypervisor\n";

static void test_read_fixture(void **state)
{
	(void)state;
	struct virt_inputs in;
	tree_put(&fx, "/sys/class/dmi/id/sys_vendor", "Amazon EC2\n");
	tree_put(&fx, "/sys/class/dmi/id/product_name", "m6i.large\n");
	tree_put(&fx, "/sys/class/dmi/id/bios_vendor", "Amazon EC2\n");
	tree_put(&fx, "/sys/class/dmi/id/board_vendor", "  Amazon EC2  \n");
	tree_put(&fx, "/proc/cpuinfo", cpuinfo_kvm);
	tree_put(&fx, "/sys/devices/system/clocksource/clocksource0/available_clocksource",
	         "kvm-clock tsc acpi_pm \n");
	tree_put(&fx, "/proc/cmdline",
	         "console=ttyS0 reboot=k panic=1 pci=off virtio_mmio.device=4K@0xd0000000:5\n");
	tree_put(&fx, "/sys/bus/pci/devices/0000:00:00.0/vendor", "0x8086\n");
	tree_put(&fx, "/sys/bus/pci/devices/0000:00:00.0/device", "0x0D57\n");
	tree_put(&fx, "/sys/bus/virtio/devices/.keep", "");
	tree_symlink(&fx, "/sys/bus/virtio/devices/virtio0",
	             "../../../devices/virtio-mmio-cmdline/virtio-mmio.0/virtio0");
	virt_read(&fx.r, &in);
	assert_true(in.has_dmi);
	assert_string_equal(in.sys_vendor, "Amazon EC2");
	assert_string_equal(in.product_name, "m6i.large");
	assert_string_equal(in.bios_vendor, "Amazon EC2");
	assert_string_equal(in.board_vendor, "Amazon EC2");
	assert_true(in.hypervisor_flag);
	assert_string_equal(in.cpu_model, "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
	assert_true(in.kvm_clock);
	assert_string_equal(in.hypervisor_type, "");
	assert_false(in.proc_xen);
	assert_true(in.cmdline_virtio_mmio);
	assert_true(in.pci_fc_hostbridge);
	assert_true(in.virtio_mmio_devices);
}

static void test_read_fixture_negative(void **state)
{
	(void)state;
	struct virt_inputs in;
	virt_read(&fx.r, &in);
	assert_false(in.has_dmi);
	assert_false(in.hypervisor_flag);
	assert_false(in.cmdline_virtio_mmio);
	assert_false(in.pci_fc_hostbridge);
	assert_false(in.virtio_mmio_devices);

	/* Near misses: a "hypervisor" outside the flags line, a flag with a suffix, a
	 * different Intel device, a virtio device on PCI, a parameter that only
	 * contains the name. */
	tree_put(&fx, "/proc/cpuinfo",
	         "model name\t: hypervisor\nflags\t\t: fpu hypervisorx\n"
	         "flags\t\t: hypervisor\n");
	tree_put(&fx, "/proc/cmdline", "root=/dev/vda xvirtio_mmio.device=4K@0x1:5\n");
	tree_put(&fx, "/sys/bus/pci/devices/0000:00:00.0/vendor", "0x8086\n");
	tree_put(&fx, "/sys/bus/pci/devices/0000:00:00.0/device", "0x1237\n");
	tree_put(&fx, "/sys/bus/pci/devices/0000:00:01.0/vendor", "0x1af4\n");
	tree_put(&fx, "/sys/bus/pci/devices/0000:00:01.0/device", "0x0d57\n");
	tree_put(&fx, "/sys/bus/virtio/devices/.keep", "");
	tree_symlink(&fx, "/sys/bus/virtio/devices/virtio0",
	             "../../../devices/pci0000:00/0000:00:01.0/virtio0");
	tree_put(&fx, "/sys/hypervisor/type", "xen\n");
	tree_put(&fx, "/proc/xen/capabilities", "control_d\n");
	tree_put(&fx, "/sys/devices/system/clocksource/clocksource0/available_clocksource",
	         "kvm-clockx tsc xkvm-clock\n");
	virt_read(&fx.r, &in);
	assert_false(in.has_dmi);
	assert_false(in.hypervisor_flag);
	assert_false(in.kvm_clock);
	assert_string_equal(in.cpu_model, "hypervisor");
	assert_false(in.cmdline_virtio_mmio);
	assert_false(in.pci_fc_hostbridge);
	assert_false(in.virtio_mmio_devices);
	assert_string_equal(in.hypervisor_type, "xen");
	assert_true(in.proc_xen);
}

/* This build machine is a Firecracker guest with PCI and no DMI. On machines with
 * DMI tables the check does not apply and is skipped. */
static void test_live(void **state)
{
	(void)state;
	struct rootfs r;
	struct virt_inputs in;
	struct virt v;
	assert_int_equal(rootfs_open(&r, "/"), 0);
	virt_read(&r, &in);
	rootfs_close(&r);
	virt_decide(&in, &v);
	print_message("live: %s: %s\n", virt_name(v.kind), v.evidence);
	if (in.has_dmi)
		skip();
	assert_int_equal(v.kind, VIRT_FIRECRACKER);
	assert_true(in.hypervisor_flag);
	assert_true(in.pci_fc_hostbridge);
	assert_string_equal(v.evidence, "no DMI tables; 'hypervisor' CPU flag; PCI host bridge "
					"8086:0d57 (Firecracker / Cloud Hypervisor)");
}

/* A test run on a fresh fixture tree. */
#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_names),
		FX(test_read_fixture),
		FX(test_read_fixture_negative),
		cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
