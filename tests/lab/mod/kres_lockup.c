// SPDX-License-Identifier: GPL-2.0
/*
 * kres_lockup: the lab's soft lockup. Loading it spins in module init with
 * preemption disabled for spin_ms milliseconds, so the CPU's watchdog stopper
 * thread cannot run and the soft-lockup detector reports
 * "BUG: soft lockup - CPU#N stuck for Ss! [insmod:PID]" once its threshold
 * (2 * kernel.watchdog_thresh) has passed. Interrupts stay enabled: the watchdog's
 * hrtimer must fire on this CPU to see the lockup (kernel/watchdog.c).
 *
 * The detector's clock counts in units of 2^30 ns (get_timestamp(): running_clock()
 * >> 30), so with watchdog_thresh = 1 the report comes between 2.1 and 3.2 s into
 * the spin; a 3 s spin missed it once in CI. The default 6 s spin always gets the
 * first report, and may get a second one (update_report_ts() restarts the period):
 * the lab checks that kres reports as many as the kernel printed.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/smp.h>

static unsigned int spin_ms = 6000;
module_param(spin_ms, uint, 0444);
MODULE_PARM_DESC(spin_ms, "how long to spin with preemption disabled (ms)");

static int __init kres_lockup_init(void)
{
	ktime_t end;

	preempt_disable();
	pr_info("kres_lockup: spinning on CPU %d for %u ms\n", smp_processor_id(), spin_ms);
	end = ktime_add_ms(ktime_get(), spin_ms);
	while (ktime_before(ktime_get(), end))
		cpu_relax();
	preempt_enable();
	pr_info("kres_lockup: done\n");
	return 0;
}

static void __exit kres_lockup_exit(void)
{
}

module_init(kres_lockup_init);
module_exit(kres_lockup_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kres lab: a soft lockup on purpose");
