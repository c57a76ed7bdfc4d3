/* SPDX-License-Identifier: MIT */
/* The subcommands. Each returns the process exit code. */
#ifndef KRES_CMD_H
#define KRES_CMD_H

int cmd_check(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_top(int argc, char **argv);

#endif
