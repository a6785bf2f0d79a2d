/* SPDX-License-Identifier: MIT */
/*
 * citydir's entry point: finds the subcommand in a table and runs it.
 * `citydir --help` is generated from the same table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include "cli/cli.h"

static const struct cd_cmd commands[] = {
    { "crawl", "[--db FILE] [--only ID] [--report FILE] PATH... | "
      "--accept ID",
      "run the sources defined in these files or folders", cd_cmd_crawl },
    { "export", "[--db FILE] --format json|geojson|csv [--city NAME] "
      "[--since VERSION] [-o FILE]",
      "write the directory, in full or as a delta", cd_cmd_export },
    { "check", "PATH...",
      "validate definitions; errors name file and line", cd_cmd_check },
    { "try", "DEFINITION [URL|FILE]",
      "fetch or read one document, print what it yields", cd_cmd_try },
    { "parsers", "",
      "list the parsers and what each reads", cd_cmd_parsers },
    { "status", "[--db FILE]",
      "the last run of every source, and the store's version",
      cd_cmd_status },
    { "backup", "[--db FILE] DEST",
      "copy the database, one consistent snapshot, while it is in use",
      cd_cmd_backup },
    { "history", "[--db FILE] [--json] PLACE_ID",
      "the versions of one place: what changed, from where, when",
      cd_cmd_history },
    { "explain", "[--db FILE] PLACE_ID",
      "a place, the source of each field, the records that formed it",
      cd_cmd_explain },
    { "merge", "[--db FILE] [--wait] OTHER.db...",
      "fold the databases of crawl shards into one", cd_cmd_merge },
};

void cd_cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("citydir: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cd_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "citydir %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'citydir %s --help'.\n", cmd);
    return CD_EXIT_USAGE;
}

void cd_cli_print_report(const char *msg, void *payload)
{
    int *count = payload;

    fprintf(stderr, "%s\n", msg);
    if(count)
        (*count)++;
}

static void usage(FILE *f)
{
    size_t i;

    fprintf(f,
            "Usage: citydir COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "citydir crawls local-retailer sites and municipal open data,\n"
            "keeps what it finds in one SQLite database and exports a\n"
            "directory of places (JSON, GeoJSON, CSV).\n"
            "\n"
            "Commands:\n");
    for(i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\n"
            "Run 'citydir COMMAND --help' for a command's options.\n"
            "Exit status: 0 all went well, 1 some source failed (the\n"
            "others still committed), 2 bad usage or a bad definition.\n"
            "The database defaults to ./citydir.db.\n");
}

int main(int argc, char **argv)
{
    size_t i;
    int rc;

    if(argc < 2) {
        usage(stderr);
        return CD_EXIT_USAGE;
    }
    if(!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
       !strcmp(argv[1], "help")) {
        usage(stdout);
        return CD_EXIT_OK;
    }
    if(!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("citydir %s\n", CD_VERSION);
        return CD_EXIT_OK;
    }
    for(i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if(strcmp(argv[1], commands[i].name))
            continue;
        if(curl_global_init(CURL_GLOBAL_DEFAULT)) {
            cd_cli_error("cannot initialise libcurl");
            return CD_EXIT_FAILED;
        }
        xmlInitParser();
        rc = commands[i].run(argc - 1, argv + 1);
        xmlCleanupParser();
        curl_global_cleanup();
        return rc;
    }
    cd_cli_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return CD_EXIT_USAGE;
}
