// SPDX-License-Identifier: MIT
/* kres: the command table and nothing else. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util/banned.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cmd commands[] = {
	{"check", cmd_check, "audit this host's kernel resources against what its services need"},
	{"log", cmd_log, "find known faults in kernel and VM-console logs, with what to do"},
	{"serve", cmd_serve, "the agent Prometheus scrapes: metrics, findings, kernel faults, leaks"},
	{"top", cmd_top, "watch memory, swap, PSI, CPU, network and disks; grade pressure; find leaks"},
};

static void usage(FILE *to)
{
	fprintf(to, "usage: kres <command> [options]\n"
		    "       kres --version | --help\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(to, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(to, "\n'kres <command> --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 3;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("kres %s\n", KRES_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "kres: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 3;
}
