/* SPDX-License-Identifier: MIT */
/*
 * The command line: one file per subcommand, walked from the table in
 * cli/main.c (after Redis's command table). Each subcommand parses its own
 * options and returns the process exit status.
 */
#ifndef CD_CLI_H
#define CD_CLI_H

#include <stdio.h>

/* Exit statuses (DESIGN.md, contract 1). */
#define CD_EXIT_OK       0  /* all went well */
#define CD_EXIT_FAILED   1  /* some source failed; the others committed */
#define CD_EXIT_USAGE    2  /* bad usage or a bad definition */

typedef int cd_cmd_fn(int argc, char **argv);

struct cd_cmd {
    const char *name;     /* the subcommand */
    const char *args;     /* synopsis after the name */
    const char *summary;  /* one line for `citydir --help` */
    cd_cmd_fn *run;       /* MUST be set; argv[0] is the subcommand */
};

int cd_cmd_crawl(int argc, char **argv);
int cd_cmd_export(int argc, char **argv);
int cd_cmd_check(int argc, char **argv);
int cd_cmd_try(int argc, char **argv);
int cd_cmd_parsers(int argc, char **argv);
int cd_cmd_status(int argc, char **argv);
int cd_cmd_backup(int argc, char **argv);
int cd_cmd_history(int argc, char **argv);
int cd_cmd_explain(int argc, char **argv);
int cd_cmd_merge(int argc, char **argv);

/* Print "citydir: <msg>" and a newline on stderr. */
void cd_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print a usage error, a hint to --help, and return CD_EXIT_USAGE. */
int cd_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A cd_report_fn that prints each definition error on stderr and counts
 * them in *(int *)payload. */
void cd_cli_print_report(const char *msg, void *payload);

#endif
