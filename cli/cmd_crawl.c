/* SPDX-License-Identifier: MIT */
/*
 * `citydir crawl`: load definitions, crawl them into the store, report.
 * SIGINT and SIGTERM stop the crawl gracefully: transfers in flight end,
 * nothing half-done is committed, and the report says so.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/source.h"
#include "crawler/crawl.h"
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
        "\n"
        "Crawl the sources defined in PATH (definition files, or folders\n"
        "searched for *.ini) and commit what each successful run found.\n"
        "A source whose run fails keeps what it had before.\n"
        "\n"
        "  --db FILE          the database (default ./citydir.db)\n"
        "  --only ID          crawl only this source; may be repeated\n"
        "  --report FILE      also write the report as JSON ('-': stdout)\n"
        "  --progress         show a progress line (default on a terminal)\n"
        "  --no-progress      never show it\n"
        "  -q, --quiet        no report on stderr unless a source failed\n"
        "  -h, --help         show this help\n"
        "\n"
        "Exit status: 0 all sources committed, 1 some source failed (the\n"
        "others committed), 2 bad usage or a bad definition.\n");
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
    enum { OPT_DB = 256, OPT_ONLY, OPT_REPORT, OPT_PROGRESS, OPT_NOPROGRESS };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "only", required_argument, NULL, OPT_ONLY },
        { "report", required_argument, NULL, OPT_REPORT },
        { "progress", no_argument, NULL, OPT_PROGRESS },
        { "no-progress", no_argument, NULL, OPT_NOPROGRESS },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = CD_STORE_DEFAULT_PATH, *report_path = NULL;
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
    if(!srcs.n) {
        cd_cli_error("no source definitions found");
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
    cd_sources_dispose(&srcs);
    free(only);
    return rc;
}
