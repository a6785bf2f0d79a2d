/* SPDX-License-Identifier: MIT */
/*
 * `citydir export`: write the directory in one format, in full or as a
 * delta. With -o the file is written beside its target and renamed into
 * place, so a reader never sees half an export.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/util.h"
#include "export/export.h"
#include "store/store.h"

static void help(FILE *f)
{
    const struct cd_exporter *const *list;
    size_t i, n;

    fprintf(f,
        "Usage: citydir export [OPTIONS] --format FORMAT\n"
        "\n"
        "Write the directory of places (docs/export.md).\n"
        "\n"
        "  --db FILE          the database (default ./citydir.db)\n"
        "  --format FORMAT    one of:\n");
    list = cd_exporter_list(&n);
    for(i = 0; i < n; i++)
        fprintf(f, "                       %-8s %s\n", list[i]->name,
                list[i]->summary);
    fprintf(f,
        "  --city NAME        only places of this city's sources\n"
        "  --since VERSION    only what changed after VERSION: places\n"
        "                     added or changed, and ids removed\n"
        "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
        "  -h, --help         show this help\n");
}

int cd_cmd_export(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_FORMAT, OPT_CITY, OPT_SINCE };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "city", required_argument, NULL, OPT_CITY },
        { "since", required_argument, NULL, OPT_SINCE },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = CD_STORE_DEFAULT_PATH, *format = NULL, *output = NULL;
    const struct cd_exporter *ex;
    struct cd_export_opts eo = { NULL, -1 };
    struct cd_store *store = NULL;
    struct cd_error err = { 0, "" };
    struct cd_buf tmp = CD_BUF_INIT(4096);
    unsigned long since;
    FILE *f = NULL;
    int c, rc = CD_EXIT_USAGE;

    while((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch(c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_FORMAT:
            format = optarg;
            break;
        case OPT_CITY:
            eo.city = optarg;
            break;
        case OPT_SINCE:
            if(cd_parse_uint(&since, optarg, (unsigned long)INT64_MAX))
                return cd_cli_usage_error("export",
                    "--since wants a version number, not '%s'", optarg);
            eo.since = (int64_t)since;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("export", "bad option");
        }
    }
    if(optind < argc)
        return cd_cli_usage_error("export", "unexpected argument '%s'",
                                  argv[optind]);
    if(!format)
        return cd_cli_usage_error("export", "--format is required");
    ex = cd_exporter_find(format);
    if(!ex)
        return cd_cli_usage_error("export",
                                  "unknown format '%s' (json, geojson, csv)",
                                  format);
    if(access(db, F_OK)) {
        cd_cli_error("%s: no such database (run 'citydir crawl' first, or "
                     "give --db)", db);
        return CD_EXIT_FAILED;
    }
    if(cd_store_open(&store, db, CD_STORE_READONLY, &err)) {
        cd_cli_error("%s", err.msg);
        return CD_EXIT_FAILED;
    }
    rc = CD_EXIT_FAILED;
    if(output) {
        if(cd_buf_printf(&tmp, "%s.tmp.%ld", output, (long)getpid()))
            goto out;
        f = fopen(tmp.ptr, "wb");
        if(!f) {
            cd_cli_error("%s: cannot write: %m", tmp.ptr);
            goto out;
        }
    } else {
        f = stdout;
    }
    if(cd_store_snapshot_begin(store, &err)) {
        cd_cli_error("%s", err.msg);
        goto out;
    }
    c = ex->write(f, store, &eo, &err);
    cd_store_snapshot_end(store);
    if(c) {
        cd_cli_error("export failed: %s", err.msg);
        goto out;
    }
    if(fflush(f) || ferror(f)) {
        cd_cli_error("%s: write error: %m", output ? output : "stdout");
        goto out;
    }
    if(output) {
        if(fclose(f)) {
            f = NULL;
            cd_cli_error("%s: write error: %m", tmp.ptr);
            goto out;
        }
        f = NULL;
        if(rename(tmp.ptr, output)) {
            cd_cli_error("%s: cannot rename into place: %m", output);
            goto out;
        }
    }
    rc = CD_EXIT_OK;
out:
    if(f && f != stdout)
        fclose(f);
    if(rc && output && tmp.ptr)
        unlink(tmp.ptr);
    cd_buf_dispose(&tmp);
    cd_store_close(store);
    return rc;
}
