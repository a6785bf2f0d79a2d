/* SPDX-License-Identifier: MIT */
/*
 * The store: one SQLite database (WAL mode) that keeps sources, runs,
 * fetched documents, the crawl frontier, records and places.
 *
 * Divisions, one file each:
 *   store/store.c     opening, closing, transactions, the version counter
 *   store/schema.c    the versioned schema and its migrations
 *   store/runs.c      runs: begin, stage records, commit or fail
 *   store/frontier.c  the frontier and seen-set of a run
 *   store/docs.c      fetched documents (status, validators, hash)
 *   store/places.c    turning a committed run's records into places,
 *                     and reading places back for the export
 *
 * The store never touches the network. Every statement is prepared.
 * A run stages its records; only cd_store_run_commit() replaces what the
 * source had, in one transaction. A failed run changes nothing an export
 * shows.
 */
#ifndef CD_STORE_H
#define CD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/place.h"
#include "core/record.h"

struct cd_store;
struct cd_source;

#define CD_STORE_DEFAULT_PATH "citydir.db"

#define CD_STORE_READONLY (1u << 0)  /* open for reading; never create */

/*
 * Open (creating and migrating as needed) the database at `path`.
 * 0, CD_EIO (err names the file and SQLite's message), CD_EINVALID (the file
 * is not a citydir database, or is newer than this program), CD_ENOMEM.
 */
int cd_store_open(struct cd_store **out, const char *path, unsigned flags,
                  struct cd_error *err);

/* Close; NULL is accepted. */
void cd_store_close(struct cd_store *s);

/*
 * Group many small writes (frontier adds, staged records, documents) into
 * one transaction: one write to disk instead of one per call. Batches and
 * the store's own transactions nest (inner ones are savepoints), so a
 * commit or a take inside a batch still succeeds or fails as a whole; but
 * nothing is on disk until the batch commits, and the write lock is held
 * meanwhile: keep batches short (one fetched page's links, say).
 * cd_store_batch_rollback() drops what the batch wrote.
 */
int cd_store_batch_begin(struct cd_store *s, struct cd_error *err);
int cd_store_batch_commit(struct cd_store *s, struct cd_error *err);
void cd_store_batch_rollback(struct cd_store *s);

/*
 * Read everything between these two calls from one snapshot of the
 * database, so that an export sees one version even while a crawl commits
 * in another process. Not inside a batch or transaction. Works on a store
 * opened read-only.
 */
int cd_store_snapshot_begin(struct cd_store *s, struct cd_error *err);
void cd_store_snapshot_end(struct cd_store *s);

/* The schema version of the open database. */
int cd_store_schema_version(const struct cd_store *s);

/* The store-wide version: how many place changes were ever committed. */
int cd_store_version(int64_t *out, struct cd_store *s, struct cd_error *err);

/* Record (or update) a source's title, city, licence, ... */
int cd_store_source_sync(struct cd_store *s, const struct cd_source *src,
                         struct cd_error *err);

/* ---- runs (store/runs.c) ---------------------------------------------- */

enum cd_run_status {
    CD_RUN_RUNNING,      /* begun, not finished */
    CD_RUN_OK,           /* committed */
    CD_RUN_FAILED,       /* nothing committed */
    CD_RUN_INTERRUPTED,  /* stopped by a signal; nothing committed */
};

/* The status's name as stored ("ok"). */
const char *cd_run_status_name(enum cd_run_status st);

/* What a run did, filled by the crawler and completed by the commit. */
struct cd_run_stats {
    long pages_fetched;   /* documents received with 2xx */
    long pages_failed;    /* gave up on after retries, or 4xx/5xx */
    long pages_skipped;   /* not fetched: filtered, too big, wrong scheme */
    long bytes;           /* body bytes received */
    long records;         /* records staged */
    long added;           /* places new in this run (set by commit) */
    long changed;         /* places whose data changed (set by commit) */
    long removed;         /* places gone (set by commit) */
};

/* Begin a run of a source. *out is the run id. A source not synced yet
 * is recorded with its id alone. */
int cd_store_run_begin(int64_t *out, struct cd_store *s,
                       const char *source_id, struct cd_error *err);

/*
 * Stage one record of a run under `key` (the source's key for it: see
 * cd_record_key()). A second record with the same key in one run replaces
 * the first. fetched_ms is when its document was fetched.
 */
int cd_store_run_stage(struct cd_store *s, int64_t run, const char *key,
                       const struct cd_record *rec, int64_t fetched_ms,
                       struct cd_error *err);

/*
 * Commit a finished run, in one transaction: the staged records replace
 * the source's records, places are added, changed and removed, each change
 * bumps the store version; the run is marked ok with `stats` (added,
 * changed, removed and records are filled in), and its frontier is dropped.
 * On any error the transaction is rolled back and the previous records and
 * places stay as they were; the run stays running, for the caller to
 * abandon. CD_ENOTFOUND (no such run), CD_EINVALID (the run is not running,
 * or a staged record is not valid), CD_EIO, CD_EBUSY, CD_ENOMEM.
 */
int cd_store_run_commit(struct cd_store *s, int64_t run,
                        struct cd_run_stats *stats, struct cd_error *err);

/*
 * End a run without committing: staged records and the run's frontier are
 * dropped, the run is marked with `status` (failed or interrupted), `why`
 * (MAY be NULL) and `stats` (MAY be NULL). Records and places are never
 * touched. CD_ENOTFOUND for an unknown run, CD_EINVALID when it is not
 * running or status is not failed/interrupted.
 */
int cd_store_run_abandon(struct cd_store *s, int64_t run,
                         enum cd_run_status status, const char *why,
                         const struct cd_run_stats *stats,
                         struct cd_error *err);

/* How many records the source has now (from its last committed run), for
 * the sanity check of a new run. */
int cd_store_source_records(long *out, struct cd_store *s,
                            const char *source_id, struct cd_error *err);

/* The last run of each source that ever ran, in source id order, for
 * `citydir status`. Strings borrowed for the call; a non-zero return of
 * cb stops and is passed up as CD_EUSER. */
struct cd_run_info {
    const char *source_id;
    int64_t run;
    const char *status;     /* cd_run_status_name() */
    const char *started_at; /* RFC 3339 */
    const char *finished_at;/* MAY be NULL */
    const char *error;      /* MAY be NULL */
    struct cd_run_stats stats;
    long places;            /* places the source has now */
};
typedef int cd_run_info_fn(const struct cd_run_info *ri, void *payload);
int cd_store_last_runs(struct cd_store *s, cd_run_info_fn *cb, void *payload,
                       struct cd_error *err);

/* ---- frontier (store/frontier.c) --------------------------------------- */

/*
 * Add a URL to a run's frontier unless the run has seen it already.
 * *out_added is 1 when new, 0 when seen. depth counts link hops.
 */
int cd_store_frontier_add(int *out_added, struct cd_store *s, int64_t run,
                          const char *url, int depth, struct cd_error *err);

/* One URL taken from the frontier. Strings borrowed for the call. */
struct cd_frontier_url {
    const char *url;
    int depth;
    int attempts;      /* tries made before */
};
typedef int cd_frontier_fn(const struct cd_frontier_url *u, void *payload);

/*
 * Take up to `max` queued URLs of a run, oldest first, whose not-before
 * time has come (now_ms), mark them in flight, and call cb for each.
 * *out_n is how many were taken.
 */
int cd_store_frontier_take(size_t *out_n, struct cd_store *s, int64_t run,
                           size_t max, int64_t now_ms, cd_frontier_fn *cb,
                           void *payload, struct cd_error *err);

/* Mark a URL done (fetched or given up). */
int cd_store_frontier_done(struct cd_store *s, int64_t run, const char *url,
                           struct cd_error *err);

/* Put a URL back in the queue for a retry at not_before_ms. */
int cd_store_frontier_retry(struct cd_store *s, int64_t run, const char *url,
                            int64_t not_before_ms, struct cd_error *err);

/* How many URLs of the run are queued (not in flight, not done). */
int cd_store_frontier_pending(long *out, struct cd_store *s, int64_t run,
                              struct cd_error *err);

/* The earliest not-before time among queued URLs, or -1 when none. */
int cd_store_frontier_next_time(int64_t *out, struct cd_store *s, int64_t run,
                                struct cd_error *err);

/*
 * Put every URL of the run that is in flight back in the queue (attempts
 * unchanged), for resuming a run after the process died. *out_n (MAY be
 * NULL) is how many.
 */
int cd_store_frontier_reset_active(long *out_n, struct cd_store *s,
                                   int64_t run, struct cd_error *err);

/* ---- fetched documents (store/docs.c) ---------------------------------- */

struct cd_doc_info {
    const char *url;
    long status;              /* HTTP status, 0 when none */
    const char *etag;         /* MAY be NULL */
    const char *last_modified;/* MAY be NULL */
    const char *hash;         /* content hash, cd_hash_hex(); MAY be NULL */
    long bytes;
    int64_t fetched_ms;
};

/* Remember what a fetch of `url` by `source_id` gave (upsert: every
 * field is replaced, NULLs included). */
int cd_store_doc_put(struct cd_store *s, const char *source_id,
                     const struct cd_doc_info *d, struct cd_error *err);

/* A fetched document as stored; every string owned, MAY be NULL. */
struct cd_doc_stored {
    char *url;
    long status;              /* HTTP status, 0 when none */
    char *etag;
    char *last_modified;
    char *hash;
    long bytes;
    int64_t fetched_ms;       /* to the second */
};

/*
 * What the last fetch of `url` by `source_id` gave, for a conditional GET.
 * 0, CD_ENOTFOUND (never fetched), CD_EIO, CD_ENOMEM. Empty *out with
 * cd_store_doc_dispose() after 0.
 */
int cd_store_doc_get(struct cd_doc_stored *out, struct cd_store *s,
                     const char *source_id, const char *url,
                     struct cd_error *err);

/* Free the strings of a stored document; NULL is accepted. */
void cd_store_doc_dispose(struct cd_doc_stored *d);

/* ---- places, for the export (store/places.c) --------------------------- */

struct cd_place_query {
    const char *city;   /* only places of this source city; MAY be NULL */
    int64_t since;      /* only places changed after this version; -1: all */
};

typedef int cd_place_fn(const struct cd_place *p, void *payload);
typedef int cd_id_fn(const char *id, void *payload);

/* Call cb for each current place matching q, in id order. A non-zero
 * return stops and is passed up as CD_EUSER. */
int cd_store_places_foreach(struct cd_store *s, const struct cd_place_query *q,
                            cd_place_fn *cb, void *payload,
                            struct cd_error *err);

/* Call cb for each place id removed after q->since, in id order. */
int cd_store_deleted_foreach(struct cd_store *s,
                             const struct cd_place_query *q, cd_id_fn *cb,
                             void *payload, struct cd_error *err);

/* A source as the export lists it. Strings borrowed for the call. */
struct cd_source_info {
    const char *id, *title, *city, *license, *attribution, *url;
};
typedef int cd_source_info_fn(const struct cd_source_info *si, void *payload);

/* Every source that has places (or q->city's), in id order. */
int cd_store_sources_foreach(struct cd_store *s,
                             const struct cd_place_query *q,
                             cd_source_info_fn *cb, void *payload,
                             struct cd_error *err);

/* When the store reached version v (the commit time, ms), 0 if never. */
int cd_store_version_time(int64_t *out_ms, struct cd_store *s, int64_t v,
                          struct cd_error *err);

#endif
