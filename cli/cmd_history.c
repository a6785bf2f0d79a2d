/* SPDX-License-Identifier: MIT */
/*
 * `citydir history PLACE_ID`: the versions a place took, oldest first,
 * one line each (version, time, kind, source and run), and under a change
 * the fields it changed as `field: old -> new`. Read from the change feed
 * (store/history.c); changes committed before the feed kept fields show
 * none. `--json` prints the same as one JSON array.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "store/store.h"

static void help(FILE *f)
{
    fprintf(f,
        "Usage: citydir history [--db FILE] [--json] PLACE_ID\n"
        "\n"
        "List the versions of one place (its `id` in the export): when it\n"
        "was added, changed (which fields, old -> new) and removed, by\n"
        "which source's run.\n"
        "\n"
        "  --db FILE    the database (default ./citydir.db)\n"
        "  --json       print a JSON array instead of text\n"
        "  -h, --help   show this help\n"
        "\n"
        "Exit status: 0 shown, 1 no such place or a database error,\n"
        "2 bad usage.\n");
}

/* Print a JSON value of a field for people: strings bare, the rest as
 * JSON, null as "(none)". */
static void print_value(const json_t *v)
{
    char *s;

    if(!v || json_is_null(v)) {
        fputs("(none)", stdout);
    } else if(json_is_string(v)) {
        fputs(json_string_value(v), stdout);
    } else {
        s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        fputs(s ? s : "?", stdout);
        free(s);
    }
}

struct hist {
    int json;          /* --json */
    json_t *all;       /* the array, with --json */
};

static int print_change(const struct cd_change_info *ci, void *payload)
{
    struct hist *h = payload;
    json_t *fields = ci->fields ? json_loads(ci->fields, 0, NULL) : NULL;
    const char *k;
    json_t *v;

    if(h->json) {
        json_t *o = json_pack("{s:I, s:s, s:s?, s:I, s:s, s:o}",
                              "version", (json_int_t)ci->version,
                              "kind", ci->kind ? ci->kind : "",
                              "source", ci->source_id,
                              "run", (json_int_t)ci->run,
                              "at", ci->at ? ci->at : "",
                              "fields", fields ? fields : json_null());

        return !o || json_array_append_new(h->all, o);
    }
    printf("%lld  %s  %-8s  %s (run %lld)\n", (long long)ci->version,
           ci->at ? ci->at : "", ci->kind ? ci->kind : "",
           ci->source_id ? ci->source_id : "?", (long long)ci->run);
    json_object_foreach(fields, k, v) {
        printf("        %s: ", k);
        print_value(json_array_get(v, 0));
        fputs(" -> ", stdout);
        print_value(json_array_get(v, 1));
        fputc('\n', stdout);
    }
    json_decref(fields);
    return 0;
}

int cd_cmd_history(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_JSON };
    static const struct option opts[] = {
        { "db", required_argument, NULL, OPT_DB },
        { "json", no_argument, NULL, OPT_JSON },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = CD_STORE_DEFAULT_PATH, *id;
    struct cd_store *store = NULL;
    struct cd_error err = { 0, "" };
    struct hist h = { 0, NULL };
    int c, found = 0, rc = CD_EXIT_FAILED;

    while((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch(c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_JSON:
            h.json = 1;
            break;
        case 'h':
            help(stdout);
            return CD_EXIT_OK;
        default:
            return cd_cli_usage_error("history", "bad option");
        }
    }
    if(optind != argc - 1)
        return cd_cli_usage_error("history", "give one PLACE_ID");
    id = argv[optind];
    if(access(db, F_OK)) {
        cd_cli_error("%s: no such database", db);
        return CD_EXIT_FAILED;
    }
    if(h.json) {
        h.all = json_array();
        if(!h.all) {
            cd_cli_error("out of memory");
            return CD_EXIT_FAILED;
        }
    }
    if(cd_store_open(&store, db, CD_STORE_READONLY, &err) ||
       cd_store_place_history(&found, store, id, print_change, &h, &err)) {
        cd_cli_error("%s", err.code == CD_EUSER ? "out of memory" : err.msg);
        goto out;
    }
    if(!found) {
        cd_cli_error("%s: no place %s", db, id);
        goto out;
    }
    if(h.json) {
        if(json_dumpf(h.all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
           fputc('\n', stdout) == EOF) {
            cd_cli_error("writing to stdout failed");
            goto out;
        }
    }
    rc = fflush(stdout) ? CD_EXIT_FAILED : CD_EXIT_OK;
out:
    json_decref(h.all);
    cd_store_close(store);
    return rc;
}
