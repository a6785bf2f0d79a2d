/* SPDX-License-Identifier: MIT */
/* `citydir check PATH...`: load definitions and report every error. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "conf/source.h"

static void help(FILE *f)
{
    fprintf(f,
            "Usage: citydir check PATH...\n"
            "\n"
            "Validate source definitions: the files given, and every *.ini\n"
            "in the folders given. Each error names its file and line:\n"
            "unknown sections and keys, a missing or duplicate id, an\n"
            "unknown parser, selectors and patterns that do not compile.\n"
            "\n"
            "  -q, --quiet   print errors only\n"
            "  -h, --help    show this help\n"
            "\n"
            "Exit status: 0 all definitions are valid, 2 any error.\n");
}

int cd_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cd_sources srcs = { NULL, 0 };
    int c, quiet = 0, errors = 0, rc;

    while((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch(c) {
        case 'q':
            quiet = 1;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("check", "bad option");
        }
    }
    if(optind >= argc)
        return cd_cli_usage_error("check", "no definition given");
    rc = cd_sources_load(&srcs, argv + optind, (size_t)(argc - optind),
                         cd_cli_print_report, &errors);
    if(rc == 0 && !quiet)
        printf("%zu definition%s OK\n", srcs.n, srcs.n == 1 ? "" : "s");
    else if(rc)
        fprintf(stderr, "%d error%s\n", errors, errors == 1 ? "" : "s");
    cd_sources_dispose(&srcs);
    return rc ? CD_EXIT_USAGE : CD_EXIT_OK;
}
