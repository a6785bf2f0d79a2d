/* SPDX-License-Identifier: MIT */
/*
 * `citydir backup`: copy the database to a file with SQLite's online
 * backup API (cd_store_backup()), as one consistent snapshot, while a
 * crawl or an export may be using it. The copy appears atomically.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"

static void help(FILE *f)
{
    fprintf(f,
        "Usage: citydir backup [--db FILE] DEST\n"
        "\n"
        "Copy the database to DEST, one consistent snapshot, while other\n"
        "citydir commands go on using it. DEST is replaced atomically.\n"
        "\n"
        "  --db FILE          the database (default ./citydir.db)\n"
        "  -h, --help         show this help\n"
        "\n"
        "Exit status: 0 copied, 1 it could not be copied, 2 bad usage.\n");
}

int cd_cmd_backup(int argc, char **argv)
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
    int c, rc = CD_EXIT_FAILED;

    while((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch(c) {
        case OPT_DB:
            db = optarg;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("backup", "bad option");
        }
    }
    if(optind != argc - 1)
        return cd_cli_usage_error("backup", "give one DEST file");
    if(access(db, F_OK)) {
        cd_cli_error("%s: no such database", db);
        return CD_EXIT_FAILED;
    }
    if(cd_store_open(&store, db, CD_STORE_READONLY, &err) ||
       cd_store_backup(store, argv[optind], &err)) {
        cd_cli_error("%s", err.msg);
        goto out;
    }
    rc = CD_EXIT_OK;
out:
    cd_store_close(store);
    return rc;
}
