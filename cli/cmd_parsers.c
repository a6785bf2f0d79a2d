/* SPDX-License-Identifier: MIT */
/* `citydir parsers`: list the registry, without parsing anything. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "parsers/parser.h"

int cd_cmd_parsers(int argc, char **argv)
{
    const struct cd_parser *const *list;
    size_t i, n;

    if(argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("Usage: citydir parsers\n\n"
               "List the parsers a definition can name in `parser =`,\n"
               "what each reads, and the selector kinds it takes.\n");
        return CD_EXIT_OK;
    }
    if(argc > 1)
        return cd_cli_usage_error("parsers", "unexpected argument '%s'",
                                  argv[1]);
    list = cd_parser_list(&n);
    printf("%-10s %-40s %s\n", "PARSER", "READS", "SELECTORS");
    for(i = 0; i < n; i++)
        printf("%-10s %-40s %s%s\n", list[i]->name, list[i]->summary,
               list[i]->selectors ? list[i]->selectors : "-",
               (list[i]->flags & CD_PARSER_NEEDS_EXTRACT)
                   ? " ([extract] name required)" : "");
    return CD_EXIT_OK;
}
