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

/* The incremental and politeness counts of a source (issue 3), on a line
 * of their own when any is not zero. */
static void print_nightly(FILE *f, const struct cd_source_report *s)
{
    const struct cd_run_stats *st = &s->stats;

    if(s->resumed)
        fprintf(f, "%s: resumed an unfinished run\n", s->source_id);
    if(st->not_modified || st->unchanged || st->sitemaps)
        fprintf(f, "%s: of %ld pages, %ld fetched and parsed, %ld not "
                "modified, %ld unchanged; %ld sitemaps read\n",
                s->source_id, st->pages_fetched,
                st->pages_fetched - st->not_modified - st->unchanged,
                st->not_modified, st->unchanged, st->sitemaps);
    if(st->skipped_robots || st->skipped_max_pages || st->skipped_too_big)
        fprintf(f, "%s: skipped: %ld by robots.txt, %ld past max_pages, "
                "%ld too big, %ld links not followed\n", s->source_id,
                st->skipped_robots, st->skipped_max_pages,
                st->skipped_too_big, st->skipped_filtered);
}

/* Add the incremental and politeness counts to a source's JSON object.
 * 0, or -1 when memory is out. */
static int json_nightly(json_t *o, const struct cd_source_report *s)
{
    const struct cd_run_stats *st = &s->stats;
    json_t *sk = json_pack("{s:I, s:I, s:I, s:I}",
                           "robots", (json_int_t)st->skipped_robots,
                           "filtered", (json_int_t)st->skipped_filtered,
                           "max_pages", (json_int_t)st->skipped_max_pages,
                           "too_big", (json_int_t)st->skipped_too_big);

    if(!sk)
        return -1;
    return json_object_set_new(o, "not_modified",
                               json_integer(st->not_modified)) ||
           json_object_set_new(o, "unchanged",
                               json_integer(st->unchanged)) ||
           json_object_set_new(o, "sitemaps", json_integer(st->sitemaps)) ||
           json_object_set_new(o, "skipped", sk) ||
           json_object_set_new(o, "resumed", json_boolean(s->resumed))
               ? -1 : 0;
}

/* What normalising could not read: opening hours, category words. */
static void print_unread(FILE *f, const struct cd_source_report *s)
{
    size_t i;

    if(s->stats.hours_unreadable)
        fprintf(f, "%s: %ld records with opening hours that could not be "
                "read (kept as text)\n", s->source_id,
                s->stats.hours_unreadable);
    if(!s->unmapped.n)
        return;
    fprintf(f, "%s: %zu category word%s not in data/categories.tsv:",
            s->source_id, s->unmapped.n, s->unmapped.n == 1 ? "" : "s");
    for(i = 0; i < s->unmapped.n; i++)
        fprintf(f, "%s %s", i ? "," : "", s->unmapped.v[i]);
    fputc('\n', f);
}

/* A JSON array of strings; NULL when memory is out. */
static json_t *strlist_json(const struct cd_strlist *l)
{
    json_t *a = json_array();
    size_t i;

    for(i = 0; a && i < l->n; i++) {
        if(json_array_append_new(a, json_string(l->v[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

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
        if(s->status == CD_RUN_SUSPECT)
            fprintf(f, "%s: suspect, nothing committed: %s\n"
                    "%s: if the site really changed so, commit this run "
                    "with: citydir crawl --accept %s\n",
                    s->source_id, s->error, s->source_id, s->source_id);
        else if(s->error[0])
            fprintf(f, "%s: error: %s\n", s->source_id, s->error);
        if(st->outside_bbox || st->bad_coords)
            fprintf(f, "%s: %ld records dropped outside the bbox, %ld "
                    "without coordinates PROJ could not transform\n",
                    s->source_id, st->outside_bbox, st->bad_coords);
        if(st->warnings)
            fprintf(f, "%s: %ld parser warning%s (the rest of each document "
                    "was read), first: %s\n", s->source_id, st->warnings,
                    st->warnings == 1 ? "" : "s", s->warning);
        print_nightly(f, s);
        print_unread(f, s);
    }
}

/* The JSON object of one source's report; NULL when memory is out. */
static json_t *source_json(const struct cd_source_report *s)
{
    const struct cd_run_stats *st = &s->stats;
    json_t *o;

    o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
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
    /* coordinates (parsers/emit.c) */
    if(o && (json_object_set_new(o, "outside_bbox",
                                 json_integer(st->outside_bbox)) ||
             json_object_set_new(o, "bad_coords",
                                 json_integer(st->bad_coords)) ||
             json_object_set_new(o, "warnings",
                                 json_integer(st->warnings)) ||
             json_object_set_new(o, "first_warning",
                                 s->warning[0] ? json_string(s->warning)
                                               : json_null()))) {
        json_decref(o);
        o = NULL;
    }
    if(o && json_nightly(o, s)) {
        json_decref(o);
        o = NULL;
    }
    /* what normalising could not read (issue 5) */
    if(o && (json_object_set_new(o, "hours_unreadable",
                                 json_integer(st->hours_unreadable)) ||
             json_object_set_new(o, "unmapped_categories",
                                 strlist_json(&s->unmapped)))) {
        json_decref(o);
        o = NULL;
    }
    return o;
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
