/* SPDX-License-Identifier: MIT */
/*
 * The report of a crawl: one line per source for people, and a JSON
 * document for machines ({started_at, finished_at, sources: [...]}), written
 * with jansson.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/util.h"
#include "crawler/crawl.h"

void cd_crawl_report_print(const struct cd_crawl_report *r, FILE *f)
{
    size_t i;

    for(i = 0; i < r->n; i++) {
        const struct cd_source_report *s = &r->v[i];
        const struct cd_run_stats *st = &s->stats;

        fprintf(f,
                "%s: %s, %ld pages, %ld failed, %ld skipped, %ld records "
                "(%ld new, %ld changed, %ld removed), %.1f s\n",
                s->source_id, cd_run_status_name(s->status),
                st->pages_fetched, st->pages_failed, st->pages_skipped,
                st->records, st->added, st->changed, st->removed,
                (double)s->duration_ms / 1000.0);
        if(s->error[0])
            fprintf(f, "%s: error: %s\n", s->source_id, s->error);
    }
}

/* The JSON object of one source's report; NULL when memory is out. */
static json_t *source_json(const struct cd_source_report *s)
{
    const struct cd_run_stats *st = &s->stats;

    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
                     "s:I, s:o}",
                     "id", s->source_id,
                     "status", cd_run_status_name(s->status),
                     "pages_fetched", (json_int_t)st->pages_fetched,
                     "pages_failed", (json_int_t)st->pages_failed,
                     "pages_skipped", (json_int_t)st->pages_skipped,
                     "bytes", (json_int_t)st->bytes,
                     "records", (json_int_t)st->records,
                     "added", (json_int_t)st->added,
                     "changed", (json_int_t)st->changed,
                     "removed", (json_int_t)st->removed,
                     "duration_ms", (json_int_t)s->duration_ms,
                     "error", s->error[0] ? json_string(s->error)
                                          : json_null());
}

int cd_crawl_report_write_json(const struct cd_crawl_report *r,
                               const char *path, struct cd_error *err)
{
    char started[32], finished[32];
    json_t *doc, *arr;
    size_t i;
    int rc = 0;

    cd_time_format(started, r->started_ms);
    cd_time_format(finished, r->finished_ms);
    arr = json_array();
    doc = json_pack("{s:s, s:s, s:o}", "started_at", started, "finished_at",
                    finished, "sources", arr);
    if(!doc) {
        rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    for(i = 0; i < r->n; i++) {
        if(json_array_append_new(arr, source_json(&r->v[i]))) {
            rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory", path);
            goto out;
        }
    }
    if(!strcmp(path, "-")) {
        if(json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
           fputc('\n', stdout) == EOF || fflush(stdout))
            rc = cd_error_set(err, CD_EIO, "writing the report to stdout");
    } else if(json_dump_file(doc, path,
                             JSON_INDENT(2) | JSON_PRESERVE_ORDER)) {
        rc = cd_error_set(err, CD_EIO, "%s: cannot write the report", path);
    }
out:
    json_decref(doc);
    return rc;
}
