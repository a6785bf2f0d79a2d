/* SPDX-License-Identifier: MIT */
/*
 * `citydir merge [--db FILE] OTHER.db...`: fold the databases of crawl
 * shards (`crawl --shard K/N`) into one. Takes the crawl lock of the
 * target database, like a crawl.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "normalize/normalize.h"
#include "store/store.h"

static void help(FILE *f)
{
    fprintf(f,
        "Usage: citydir merge [--db FILE] [--wait] OTHER.db...\n"
        "\n"
        "Fold shard databases into FILE: a crawl sharded by source\n"
        "(citydir crawl --shard K/N, one job per shard) writes one\n"
        "database per shard; merge commits each shard's sources here as\n"
        "if this database had crawled them (their places merge with the\n"
        "others', each change bumps the version). Sources whose last run\n"
        "in a shard did not commit are left as they are here.\n"
        "\n"
        "  --db FILE    the target database (default ./citydir.db)\n"
        "  --wait       wait for a crawl that holds the target\n"
        "  -h, --help   show this help\n");
}

static int on_fold(const char *id, const struct cd_run_stats *st,
                   void *payload)
{
    const char *shard = payload;

    fprintf(stderr, "%s: %s: %ld records (%ld new, %ld changed, "
            "%ld removed)\n", shard, id, st->records, st->added,
            st->changed, st->removed);
    return 0;
}

int cd_cmd_merge(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_WAIT };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "wait", no_argument, NULL, OPT_WAIT },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = CD_STORE_DEFAULT_PATH;
    struct cd_store *store = NULL;
    struct cd_store_lock *lock = NULL;
    struct cd_error err = { 0, "" };
    int c, i, wait = 0, rc = CD_EXIT_FAILED;

    while((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch(c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_WAIT:
            wait = 1;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("merge", "bad option");
        }
    }
    if(optind >= argc)
        return cd_cli_usage_error("merge", "no shard database given");
    if(cd_norm_data_init(&err)) {
        cd_cli_error("%s", err.msg);
        return CD_EXIT_USAGE;
    }
    if(cd_store_lock(&lock, db, wait, &err)) {
        cd_cli_error("%s", err.msg);
        return err.code == CD_EBUSY ? CD_EXIT_USAGE : CD_EXIT_FAILED;
    }
    if(cd_store_open(&store, db, 0, &err)) {
        cd_cli_error("%s", err.msg);
        goto out;
    }
    rc = CD_EXIT_OK;
    for(i = optind; i < argc; i++) {
        if(cd_store_fold_shard(store, argv[i], on_fold, argv[i], &err)) {
            cd_cli_error("%s", err.msg);
            rc = CD_EXIT_FAILED;
        }
    }
out:
    cd_store_close(store);
    cd_store_unlock(lock);
    return rc;
}
