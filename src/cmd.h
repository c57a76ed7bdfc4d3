/* SPDX-License-Identifier: MIT */
/* The subcommands. Each returns the process exit code. */
#ifndef KRES_CMD_H
#define KRES_CMD_H

int cmd_check(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_serve(int argc, char **argv);

struct buf;
/* One audit of the host under root, as kres check does without options: the JSON
 * report (docs/check-json.md) into json, and one line per failing finding,
 * "ID<TAB>severity<TAB>subject\n", into fails. Returns 0, or -1 with err. */
int check_report(const char *root, struct buf *json, struct buf *fails, char *err, size_t n);

#endif
