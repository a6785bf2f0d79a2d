/* SPDX-License-Identifier: MIT */
/*
 * `citydir crawl`: load definitions, crawl them into the store, report.
 * SIGINT and SIGTERM stop the crawl gracefully: transfers in flight end,
 * nothing half-done is committed, and the report says so. With --accept,
 * no crawl: the last suspect run of a source is committed as it was
 * staged, after a person checked it.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/source.h"
#include "core/util.h"
#include "crawler/crawl.h"
#include "normalize/normalize.h"
#include "store/store.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void help(FILE *f)
{
    fprintf(f,
        "Usage: citydir crawl [OPTIONS] PATH...\n"
        "       citydir crawl [--db FILE] --accept ID\n"
        "\n"
        "Crawl the sources defined in PATH (definition files, or folders\n"
        "searched for *.ini) and commit what each successful run found.\n"
        "A source whose run fails keeps what it had before.\n"
        "\n"
        "  --db FILE          the database (default ./citydir.db)\n"
        "  --only ID          crawl only this source; may be repeated\n"
        "  --report FILE      also write the report as JSON ('-': stdout)\n"
        "  --accept ID        crawl nothing: commit the last suspect run of\n"
        "                     source ID as it was staged (no PATH)\n"
        "  --wait             when another crawl runs on the database, wait\n"
        "                     for it to end (default: exit, status 2)\n"
        "  --restart          start unfinished runs over instead of resuming\n"
        "  --shard K/N        crawl only shard K of N: the sources whose id\n"
        "                     hashes there (fold the shards' databases with\n"
        "                     citydir merge)\n"
        "                     them\n"
        "  --progress         show a progress line (default on a terminal)\n"
        "  --no-progress      never show it\n"
        "  -q, --quiet        no report on stderr unless a source failed\n"
        "  -h, --help         show this help\n"
        "\n"
        "A run that is interrupted (a signal, or max_duration) or killed\n"
        "keeps what it fetched; the next crawl of the source resumes it.\n"
        "One crawl at a time per database (the lock is FILE.lock).\n"
        "\n"
        "Exit status: 0 all sources committed, 1 some source failed or was\n"
        "suspect (the others committed), 2 bad usage or a bad definition,\n"
        "or another crawl runs on the database (without --wait).\n");
}

/* `crawl --accept ID`: commit the last suspect run of source ID, under
 * the crawl lock like any crawl (`wait` as for --wait). */
static int accept_run(const char *db, const char *id, int wait)
{
    struct cd_store *store = NULL;
    struct cd_store_lock *lock = NULL;
    struct cd_error err = { 0, "" };
    struct cd_run_stats st;
    int64_t run = 0;
    int rc = CD_EXIT_FAILED;

    if(access(db, F_OK)) {
        cd_cli_error("%s: no such database", db);
        return CD_EXIT_FAILED;
    }
    if(cd_store_lock(&lock, db, wait, &err)) {
        cd_cli_error("%s", err.msg);
        return err.code == CD_EBUSY ? CD_EXIT_USAGE : CD_EXIT_FAILED;
    }
    if(cd_store_open(&store, db, 0, &err) ||
       cd_store_run_accept(&run, store, id, &st, &err)) {
        cd_cli_error("%s", err.msg);
        goto out;
    }
    fprintf(stderr, "%s: run %lld accepted and committed: %ld records "
            "(%ld new, %ld changed, %ld removed)\n", id, (long long)run,
            st.records, st.added, st.changed, st.removed);
    rc = CD_EXIT_OK;
out:
    cd_store_close(store);
    cd_store_unlock(lock);
    return rc;
}

/* "K/N" of --shard: 0, or -1 when it is not 1 <= K <= N. */
static int parse_shard(unsigned long *k, unsigned long *n, const char *s)
{
    char buf[64], *slash;

    snprintf(buf, sizeof(buf), "%s", s);
    slash = strchr(buf, '/');
    if(!slash)
        return -1;
    *slash = '\0';
    if(cd_parse_uint(k, buf, 1000000) || cd_parse_uint(n, slash + 1, 1000000)
       || *k < 1 || *k > *n)
        return -1;
    return 0;
}

/*
 * Keep the sources of shard k of n: those whose id hashes to k - 1
 * modulo n. The hash of an id never changes, so a source always lands in
 * the same shard, whatever else the definitions hold.
 */
static void select_shard(struct cd_sources *srcs, unsigned long k,
                         unsigned long n)
{
    char hex[33];
    size_t i, kept = 0;

    for(i = 0; i < srcs->n; i++) {
        cd_hash_hex(hex, srcs->v[i]->id, strlen(srcs->v[i]->id));
        hex[8] = '\0';
        if(strtoul(hex, NULL, 16) % n == k - 1)
            srcs->v[kept++] = srcs->v[i];
        else
            cd_source_free(srcs->v[i]);
    }
    srcs->n = kept;
}

/* Keep only the sources named with --only; report names not found. */
static int select_only(struct cd_sources *srcs, char **only, size_t nonly)
{
    size_t i, j, k = 0;
    int bad = 0;

    for(j = 0; j < nonly; j++) {
        if(!cd_sources_find(srcs, only[j])) {
            cd_cli_error("--only %s: no source with this id", only[j]);
            bad = 1;
        }
    }
    if(bad)
        return -1;
    for(i = 0; i < srcs->n; i++) {
        int keep = 0;

        for(j = 0; j < nonly; j++)
            if(!strcmp(srcs->v[i]->id, only[j]))
                keep = 1;
        if(keep)
            srcs->v[k++] = srcs->v[i];
        else
            cd_source_free(srcs->v[i]);
    }
    srcs->n = k;
    return 0;
}

int cd_cmd_crawl(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_ONLY, OPT_REPORT, OPT_PROGRESS, OPT_NOPROGRESS,
           OPT_ACCEPT, OPT_WAIT, OPT_RESTART, OPT_SHARD };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "only", required_argument, NULL, OPT_ONLY },
        { "report", required_argument, NULL, OPT_REPORT },
        { "progress", no_argument, NULL, OPT_PROGRESS },
        { "no-progress", no_argument, NULL, OPT_NOPROGRESS },
        { "accept", required_argument, NULL, OPT_ACCEPT },
        { "wait", no_argument, NULL, OPT_WAIT },
        { "restart", no_argument, NULL, OPT_RESTART },
        { "shard", required_argument, NULL, OPT_SHARD },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = CD_STORE_DEFAULT_PATH, *report_path = NULL;
    const char *accept = NULL;
    struct cd_store_lock *lock = NULL;
    int wait = 0, restart = 0;
    unsigned long shard_k = 0, shard_n = 0;
    struct cd_sources srcs = { NULL, 0 };
    struct cd_crawl_report report = { NULL, 0, 0, 0 };
    struct cd_crawl_opts copts;
    struct cd_store *store = NULL;
    struct cd_error err = { 0, "" };
    struct sigaction sa;
    char **only = NULL;
    size_t nonly = 0, i;
    int c, quiet = 0, progress = isatty(STDERR_FILENO), errors = 0;
    int rc = CD_EXIT_USAGE, failed = 0;

    only = calloc((size_t)argc, sizeof(*only));
    if(!only)
        return CD_EXIT_FAILED;
    while((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch(c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_ONLY:
            only[nonly++] = optarg;
            break;
        case OPT_REPORT:
            report_path = optarg;
            break;
        case OPT_ACCEPT:
            accept = optarg;
            break;
        case OPT_WAIT:
            wait = 1;
            break;
        case OPT_RESTART:
            restart = 1;
            break;
        case OPT_SHARD:
            if(parse_shard(&shard_k, &shard_n, optarg)) {
                rc = cd_cli_usage_error("crawl", "--shard wants K/N with "
                                        "1 <= K <= N, not '%s'", optarg);
                goto out;
            }
            break;
        case OPT_PROGRESS:
            progress = 1;
            break;
        case OPT_NOPROGRESS:
            progress = 0;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            help(stdout);
            rc = CD_EXIT_OK;
            goto out;
        default:
            rc = cd_cli_usage_error("crawl", "bad option");
            goto out;
        }
    }
    /* data/ tables (categories, street abbreviations): read once, here */
    if(cd_norm_data_init(&err)) {
        cd_cli_error("%s", err.msg);
        rc = CD_EXIT_USAGE;
        goto out;
    }
    if(accept) {
        if(optind < argc || nonly)
            rc = cd_cli_usage_error("crawl", "--accept takes no PATH and "
                                    "no --only: it crawls nothing");
        else
            rc = accept_run(db, accept, wait);
        goto out;
    }
    if(optind >= argc) {
        rc = cd_cli_usage_error("crawl", "no definition given");
        goto out;
    }
    if(cd_sources_load(&srcs, argv + optind, (size_t)(argc - optind),
                       cd_cli_print_report, &errors)) {
        cd_cli_error("%d error%s in definitions; nothing crawled", errors,
                     errors == 1 ? "" : "s");
        goto out;
    }
    if(nonly && select_only(&srcs, only, nonly))
        goto out;
    if(shard_n)
        select_shard(&srcs, shard_k, shard_n);
    if(!srcs.n && shard_n) {
        fprintf(stderr, "citydir: shard %lu/%lu holds no source; nothing "
                "to crawl\n", shard_k, shard_n);
        rc = CD_EXIT_OK;
        goto out;
    }
    if(!srcs.n) {
        cd_cli_error("no source definitions found");
        goto out;
    }
    /* one crawl at a time: a second one would resume the same runs */
    if(cd_store_lock(&lock, db, wait, &err)) {
        cd_cli_error("%s", err.msg);
        rc = err.code == CD_EBUSY ? CD_EXIT_USAGE : CD_EXIT_FAILED;
        goto out;
    }
    if(cd_store_open(&store, db, 0, &err)) {
        cd_cli_error("%s", err.msg);
        rc = CD_EXIT_FAILED;
        goto out;
    }

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    memset(&copts, 0, sizeof(copts));
    copts.progress = progress;
    copts.stop = &stop_requested;
    copts.restart = restart;
    if(cd_crawl_run(&report, store, srcs.v, srcs.n, &copts, &err)) {
        cd_cli_error("crawl stopped: %s", err.msg);
        rc = CD_EXIT_FAILED;
        goto out;
    }
    for(i = 0; i < report.n; i++)
        if(report.v[i].status != CD_RUN_OK)
            failed = 1;
    if(!quiet || failed)
        cd_crawl_report_print(&report, stderr);
    rc = failed ? CD_EXIT_FAILED : CD_EXIT_OK;
    if(report_path &&
       cd_crawl_report_write_json(&report, report_path, &err)) {
        cd_cli_error("%s", err.msg);
        rc = CD_EXIT_FAILED;
    }
out:
    cd_crawl_report_dispose(&report);
    cd_store_close(store);
    cd_store_unlock(lock);
    cd_sources_dispose(&srcs);
    free(only);
    return rc;
}
