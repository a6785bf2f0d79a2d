/* SPDX-License-Identifier: MIT */
/*
 * `citydir status`: the store's version and the last run of each source.
 * A source whose last run failed or was suspect needs attention: the line
 * under it says why (for a suspect run, what the sanity guard saw) and how
 * to accept the run. Exit status 1 when any source needs attention.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"

static void help(FILE *f)
{
    fprintf(f,
        "Usage: citydir status [--db FILE]\n"
        "\n"
        "Show the store's version (what `export --since` counts) and the\n"
        "last run of every source: when, how it ended, what it found.\n"
        "A source whose last run failed or was suspect needs attention\n"
        "(exit status 1).\n"
        "\n"
        "  --db FILE    the database (default ./citydir.db)\n"
        "  -h, --help   show this help\n");
}

static int print_run(const struct cd_run_info *ri, void *payload)
{
    int *failed = payload;

    printf("%-30s %-11s %-20s %6ld pages %4ld failed %6ld records "
           "%6ld places\n",
           ri->source_id, ri->status, ri->started_at,
           ri->stats.pages_fetched, ri->stats.pages_failed,
           ri->stats.records, ri->places);
    if(!strcmp(ri->status, "suspect")) {
        printf("%-30s   needs attention: suspect run %lld, nothing "
               "committed: %s\n", "", (long long)ri->run,
               ri->error ? ri->error : "");
        printf("%-30s   if the site really changed so: citydir crawl "
               "--accept %s\n", "", ri->source_id);
    } else if(ri->error && *ri->error) {
        printf("%-30s   needs attention: %s\n", "", ri->error);
    }
    if(ri->missing)
        printf("%-30s   %ld record%s kept though recent runs missed "
               "%s (remove_after)\n", "", ri->missing,
               ri->missing == 1 ? "" : "s", ri->missing == 1 ? "it" : "them");
    if(strcmp(ri->status, "ok"))
        *failed = 1;
    return 0;
}

int cd_cmd_status(int argc, char **argv)
{
    enum { OPT_DB = 256 };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = CD_STORE_DEFAULT_PATH;
    struct cd_store *store = NULL;
    struct cd_error err = { 0, "" };
    int64_t version = 0;
    int c, failed = 0, rc = CD_EXIT_FAILED;

    while((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch(c) {
        case OPT_DB:
            db = optarg;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("status", "bad option");
        }
    }
    if(optind < argc)
        return cd_cli_usage_error("status", "unexpected argument '%s'",
                                  argv[optind]);
    if(access(db, F_OK)) {
        cd_cli_error("%s: no such database", db);
        return CD_EXIT_FAILED;
    }
    if(cd_store_open(&store, db, CD_STORE_READONLY, &err) ||
       cd_store_version(&version, store, &err)) {
        cd_cli_error("%s", err.msg);
        goto out;
    }
    printf("database %s: schema %d, version %lld\n", db,
           cd_store_schema_version(store), (long long)version);
    if(cd_store_last_runs(store, print_run, &failed, &err)) {
        cd_cli_error("%s", err.msg);
        goto out;
    }
    rc = failed ? CD_EXIT_FAILED : CD_EXIT_OK;
out:
    cd_store_close(store);
    return rc;
}
