/* SPDX-License-Identifier: MIT */
/*
 * Resuming runs (store.h, "resuming runs"). A run whose process was
 * killed stays marked running, with its frontier (URLs done, queued, in
 * flight) and its staged records as the last committed batch left them;
 * a run paused by a signal or by max_duration is marked interrupted and
 * keeps the same. The next crawl of the source takes such a run up again:
 * URLs that were in flight go back to the queue, URLs done stay done (so
 * nothing fetched is fetched again), and its counters come back from
 * runs.progress, which the crawler saves with every batch.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/util.h"
#include "store/internal.h"

/* The counters of struct cd_run_stats, by name, for runs.progress. */
static const struct {
    const char *name;
    size_t off;
} counters[] = {
#define C(f) { #f, offsetof(struct cd_run_stats, f) }
    C(pages_fetched), C(pages_failed), C(pages_skipped), C(bytes),
    C(records), C(not_modified), C(unchanged), C(sitemaps),
    C(skipped_robots), C(skipped_filtered), C(skipped_max_pages),
    C(skipped_too_big),
#undef C
};

#define COUNTER(st, i) (*(long *)(void *)((char *)(st) + counters[i].off))

/* runs.progress as JSON text; the caller frees it. NULL: no memory. */
static char *progress_json(const struct cd_run_stats *st)
{
    json_t *o = json_object();
    char *s = NULL;
    size_t i;

    if(!o)
        return NULL;
    for(i = 0; i < CD_ARRAY_SIZE(counters); i++)
        if(json_object_set_new(o, counters[i].name,
                               json_integer(COUNTER(st, i))))
            goto out;
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
    json_decref(o);
    return s;
}

/* Read runs.progress back; what is missing or bad stays 0. */
static void progress_read(struct cd_run_stats *st, const char *text)
{
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;

    for(i = 0; o && i < CD_ARRAY_SIZE(counters); i++) {
        json_t *v = json_object_get(o, counters[i].name);

        if(json_is_integer(v))
            COUNTER(st, i) = (long)json_integer_value(v);
    }
    json_decref(o);
}

int cd_store_run_progress(struct cd_store *s, int64_t run,
                          const struct cd_run_stats *stats,
                          struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char *json = progress_json(stats);
    int rc;

    if(!json)
        return cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                            (long long)run);
    rc = cd_store_prepare(&st, s,
                          "UPDATE runs SET progress = ?2, pages_fetched = ?3,"
                          " pages_failed = ?4, pages_skipped = ?5,"
                          " bytes = ?6, records = ?7"
                          " WHERE id = ?1 AND status = 'running'", err);
    if(!rc) {
        sqlite3_bind_int64(st, 1, run);
        cd_store_bind_text(st, 2, json);
        sqlite3_bind_int64(st, 3, stats->pages_fetched);
        sqlite3_bind_int64(st, 4, stats->pages_failed);
        sqlite3_bind_int64(st, 5, stats->pages_skipped);
        sqlite3_bind_int64(st, 6, stats->bytes);
        sqlite3_bind_int64(st, 7, stats->records);
        if(sqlite3_step(st) != SQLITE_DONE)
            rc = cd_store_dberr(s, err, "run %lld: saving its progress",
                                (long long)run);
    }
    sqlite3_finalize(st);
    free(json);
    return rc;
}

int cd_store_run_pause(struct cd_store *s, int64_t run, const char *why,
                       const struct cd_run_stats *stats,
                       struct cd_error *err)
{
    static const struct cd_run_stats zero;
    sqlite3_stmt *st = NULL;
    char now[32];
    int rc;

    if(!stats)
        stats = &zero;
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = cd_store_run_progress(s, run, stats, err);
    if(!rc)
        rc = cd_store_prepare(&st, s,
                              "UPDATE runs SET status = 'interrupted',"
                              " finished_at = ?2, error = ?3"
                              " WHERE id = ?1 AND status = 'running'", err);
    if(!rc) {
        cd_store_now(now);
        sqlite3_bind_int64(st, 1, run);
        cd_store_bind_text(st, 2, now);
        cd_store_bind_text(st, 3, why);
        if(sqlite3_step(st) != SQLITE_DONE)
            rc = cd_store_dberr(s, err, "run %lld: pausing it",
                                (long long)run);
        else if(!sqlite3_changes(s->db))
            rc = cd_error_set(err, CD_EINVALID,
                              "%s: run %lld is not running", s->path,
                              (long long)run);
    }
    /* what was in flight is queued again at once, not on resume only */
    if(!rc)
        rc = cd_store_frontier_reset_active(NULL, s, run, err);
    sqlite3_finalize(st);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
    if(rc)
        cd_store_rollback(s);
    return rc;
}

int cd_store_run_fingerprint(struct cd_store *s, int64_t run,
                             const char *fingerprint, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_prepare(&st, s,
                          "UPDATE runs SET fingerprint = ?2 WHERE id = ?1",
                          err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    cd_store_bind_text(st, 2, fingerprint);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: noting its definition",
                            (long long)run);
    sqlite3_finalize(st);
    return rc;
}

/* The last run of the source: id, status, start time, progress and
 * fingerprint. *out_run is 0 when the source never ran. */
static int last_run(int64_t *out_run, char **status, char **started,
                    char **progress, char **fp, struct cd_store *s,
                    const char *source_id, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out_run = 0;
    rc = cd_store_prepare(&st, s,
                          "SELECT id, status, started_at, progress,"
                          " fingerprint FROM runs WHERE source_id = ?1"
                          " ORDER BY id DESC LIMIT 1",
                          err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        *out_run = sqlite3_column_int64(st, 0);
        rc = cd_store_column_dup(status, st, 1);
        if(!rc)
            rc = cd_store_column_dup(started, st, 2);
        if(!rc)
            rc = cd_store_column_dup(progress, st, 3);
        if(!rc)
            rc = cd_store_column_dup(fp, st, 4);
        if(rc)
            cd_error_set(err, rc, "%s: out of memory", source_id);
    } else if(rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = cd_store_dberr(s, err, "finding the last run of '%s'",
                            source_id);
    }
    sqlite3_finalize(st);
    return rc;
}

int cd_store_run_resume(int64_t *out_run, struct cd_run_stats *out_stats,
                        struct cd_store *s, const char *source_id,
                        int64_t max_age_ms, const char *fingerprint,
                        struct cd_error *err)
{
    char *status = NULL, *started = NULL, *progress = NULL, *fp = NULL;
    const char *why = NULL;
    sqlite3_stmt *st = NULL;
    char cutoff[32];
    int64_t run = 0;
    int rc;

    *out_run = 0;
    memset(out_stats, 0, sizeof(*out_stats));
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = last_run(&run, &status, &started, &progress, &fp, s, source_id,
                  err);
    if(rc || !run || !status ||
       (strcmp(status, "running") && strcmp(status, "interrupted")))
        goto out;
    cd_time_format(cutoff, cd_clock.now_ms() - max_age_ms);
    if(!started || strcmp(started, cutoff) < 0)
        why = "unfinished, too old to resume";  /* what it found is stale */
    else if(fingerprint && (!fp || strcmp(fp, fingerprint)))
        why = "unfinished, and its definition changed since";
    if(why) {
        rc = cd_store_prepare(&st, s,
                                  "UPDATE runs SET status = 'running'"
                                  " WHERE id = ?1", err);
        if(!rc) {
            sqlite3_bind_int64(st, 1, run);
            if(sqlite3_step(st) != SQLITE_DONE)
                rc = cd_store_dberr(s, err, "run %lld: ending it",
                                    (long long)run);
        }
        if(!rc)
            rc = cd_store_run_abandon(s, run, CD_RUN_FAILED, why, NULL,
                                      err);
        goto out;
    }
    rc = cd_store_prepare(&st, s,
                          "UPDATE runs SET status = 'running',"
                          " finished_at = NULL, error = NULL WHERE id = ?1",
                          err);
    if(rc)
        goto out;
    sqlite3_bind_int64(st, 1, run);
    if(sqlite3_step(st) != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "run %lld: resuming it", (long long)run);
        goto out;
    }
    rc = cd_store_frontier_reset_active(NULL, s, run, err);
    if(rc)
        goto out;
    progress_read(out_stats, progress);
    *out_run = run;
out:
    sqlite3_finalize(st);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
    if(rc) {
        cd_store_rollback(s);
        *out_run = 0;
    }
    free(status);
    free(started);
    free(progress);
    free(fp);
    return rc;
}
