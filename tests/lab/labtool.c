// SPDX-License-Identifier: MIT
/*
 * labtool: the programs that make the lab guest fail, linked statically into the
 * initramfs. It is called through a link whose name becomes the kernel's comm for
 * the fault, so the lab can check the comm kres reports:
 *
 *   hog                 allocates and touches 1 MiB at a time until the OOM killer
 *                       kills it (global OOM, or its memory cgroup's)
 *   segv                writes through a null pointer: "segv[PID]: segfault at 0"
 *   labwrite DEVICE     writes 4 KiB to DEVICE and fsyncs it; on a suspended
 *                       device-mapper device fsync waits for the page's writeback
 *                       in D state (hung task). Not O_DIRECT: the kernel waits
 *                       for a direct bio in submit_bio_wait(), which wakes every
 *                       hung_task_timeout_secs / 2 so that khungtaskd never sees it.
 *   httpget PORT PATH   GET http://127.0.0.1:PORT/PATH, body to stdout; exit 0 on 200
 *                       (busybox wget, linked statically, crashes in glibc's NSS)
 *
 * The fault makers print "pid N" first, so the guest knows the pid without racing
 * the fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static __attribute__((noreturn)) void hog(void)
{
	size_t total = 0;

	for (;;) {
		char *p = malloc(1 << 20);

		if (!p) {
			/* Overcommit refused: keep touching what we have until killed. */
			sleep(1);
			continue;
		}
		memset(p, 0x5a, 1 << 20);
		total += 1 << 20;
		if (total % (64u << 20) == 0)
			fprintf(stderr, "hog: %zu MiB\n", total >> 20);
	}
}

static int segv(void)
{
	volatile int *p = NULL;

	*p = 1;
	return 0;
}

static int labwrite(const char *dev)
{
	static char buf[4096];
	int fd = open(dev, O_WRONLY);

	if (fd < 0) {
		fprintf(stderr, "labwrite: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	memset(buf, 0xa5, sizeof(buf));
	if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) || fsync(fd)) {
		fprintf(stderr, "labwrite: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	close(fd);
	printf("labwrite: done\n");
	return 0;
}

static int httpget(const char *port, const char *path)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)) };
	struct timeval tv = { .tv_sec = 5 };
	char req[512], buf[65536];
	size_t have = 0;
	ssize_t n;
	char *body;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return 1;
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
	if (write(fd, req, (size_t)n) != n)
		return 1;
	/* The status line and headers must fit in the first buffer; the body streams. */
	while (have < sizeof(buf) - 1 && (n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)n;
		buf[have] = 0;
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	body = strstr(buf, "\r\n\r\n");
	if (!body || strncmp(buf, "HTTP/1.", 7) || strncmp(buf + 8, " 200 ", 5))
		return 1;
	body += 4;
	fwrite(body, 1, have - (size_t)(body - buf), stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return n < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	name = name ? name + 1 : argv[0];
	if (!strcmp(name, "httpget") && argc == 3)
		return httpget(argv[1], argv[2]);
	printf("pid %d\n", (int)getpid());
	fflush(stdout);
	if (!strcmp(name, "hog"))
		hog();
	if (!strcmp(name, "segv"))
		return segv();
	if (!strcmp(name, "labwrite") && argc == 2)
		return labwrite(argv[1]);
	fprintf(stderr, "usage: hog | segv | labwrite DEVICE | httpget PORT PATH (by link name)\n");
	return 2;
}
