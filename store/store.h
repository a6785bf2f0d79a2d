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

/* Record (or update) a source's title, city, licence, ..., and its
 * remove_after (0 counts as 1: a record goes at the first run without it). */
int cd_store_source_sync(struct cd_store *s, const struct cd_source *src,
                         struct cd_error *err);

/* ---- runs (store/runs.c) ---------------------------------------------- */

enum cd_run_status {
    CD_RUN_RUNNING,      /* begun, not finished */
    CD_RUN_OK,           /* committed */
    CD_RUN_FAILED,       /* nothing committed */
    CD_RUN_INTERRUPTED,  /* stopped by a signal; nothing committed */
    CD_RUN_SUSPECT,      /* failed the sanity guard: nothing committed,
                            staged records kept for cd_store_run_accept() */
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
    /* added for nightly crawls (issue 3); pages_fetched counts every page
     * whose records the run has, these say how many of them were not
     * transferred or not parsed: */
    long not_modified;    /* 304 to a conditional GET: records reused */
    long unchanged;       /* same content hash, or a sitemap lastmod not
                             newer than the last fetch: records reused,
                             nothing parsed */
    long sitemaps;        /* sitemaps read */
    /* pages_skipped, by reason: */
    long skipped_robots;  /* robots.txt disallows them */
    long skipped_filtered;/* links not followed: allow/deny, other
                             schemes, junk */
    long skipped_max_pages; /* past max_pages */
    long skipped_too_big; /* larger than the size cap */
    /* what normalising could not read (issue 5; set by commit): */
    long hours_unreadable;/* records whose opening hours are not readable
                             (their text is kept, opening_hours is null) */
    /* coordinates (parsers/emit.c): */
    long outside_bbox;    /* records dropped: outside the source's bbox */
    long bad_coords;      /* records that lost coordinates PROJ could not
                             transform (an unknown CRS) */
    long warnings;        /* parts of documents a parser skipped (broken
                             JSON-LD, ...): the rest was still read */
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
 * the source's records, except that a record the run did not find is kept
 * (unchanged, and its place with it) until remove_after successful runs
 * in a row have missed it (the removal policy, cd_store_source_sync());
 * places are added, changed and removed, each change
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

/*
 * End a run that failed the sanity guard (crawler/guard.h) without
 * committing it: the run is marked suspect with `why` and `stats` (MAY be
 * NULL), its frontier is dropped, and its staged records are kept, so that
 * a person can look at them and commit them with cd_store_run_accept().
 * Records and places are never touched. CD_ENOTFOUND, CD_EINVALID (the
 * run is not running).
 */
int cd_store_run_suspend(struct cd_store *s, int64_t run, const char *why,
                         const struct cd_run_stats *stats,
                         struct cd_error *err);

/*
 * Commit the last suspect run of `source_id` on purpose, as it was staged
 * (nothing is fetched again), in one transaction, exactly as
 * cd_store_run_commit() would have; *out_run (MAY be NULL) is its id.
 * Only a suspect run after the source's last committed run can be
 * accepted: accepting an older one would undo what came after it.
 * CD_ENOTFOUND (no such source, or no suspect run since the last commit),
 * and the errors of cd_store_run_commit().
 */
int cd_store_run_accept(int64_t *out_run, struct cd_store *s,
                        const char *source_id, struct cd_run_stats *stats,
                        struct cd_error *err);

/*
 * What a run found, for the sanity guard: how many items its parser
 * matched (records, plus items dropped for want of a name: CD_EMIT_DROPPED)
 * and in how many of them each field had a value. `has_fields` is 0 when
 * only the counts are known (a run from before the guard).
 */
struct cd_run_profile {
    long records;               /* records emitted */
    long items;                 /* records + items dropped */
    long fields[CD_F__COUNT];   /* items with a value for each field */
    int has_fields;             /* fields[] is known */
};

/* Keep a run's profile with the run (as JSON keyed by field name). */
int cd_store_run_profile_put(struct cd_store *s, int64_t run,
                             const struct cd_run_profile *p,
                             struct cd_error *err);

/*
 * The profile of the last run of `source_id` that committed (status ok),
 * other than `except` (the run being judged; 0: none). *out_found is 0
 * when the source never committed, and *out is then zeroed.
 */
int cd_store_run_last_good(struct cd_run_profile *out, int *out_found,
                           struct cd_store *s, const char *source_id,
                           int64_t except, struct cd_error *err);

/* How many records the source has now: its last committed run's, and
 * those the removal policy still keeps (records.missing > 0). */
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
    long missing;           /* records kept though the last successful
                               runs did not find them (remove_after) */
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

/* ---- resuming runs (store/resume.c) ------------------------------------ */

/*
 * The run of `source_id` that a new crawl should go on with instead of
 * starting over: the source's last run, when it is still marked running
 * (its process was killed) or was paused (cd_store_run_pause()), began
 * less than `max_age_ms` ago, and was begun with the same definition
 * (`fingerprint`, see cd_store_run_fingerprint(); NULL: any). It is
 * marked running again, the URLs it had in flight go back to its queue,
 * and *out_stats gets the counts it had saved. *out_run is 0 when there
 * is none; an unfinished run that is too old or of another definition is
 * abandoned (failed, saying why) on the way. 0, CD_EIO, CD_ENOMEM.
 */
int cd_store_run_resume(int64_t *out_run, struct cd_run_stats *out_stats,
                        struct cd_store *s, const char *source_id,
                        int64_t max_age_ms, const char *fingerprint,
                        struct cd_error *err);

/* Note the fingerprint of the definition a run began with. */
int cd_store_run_fingerprint(struct cd_store *s, int64_t run,
                             const char *fingerprint, struct cd_error *err);

/* Save the counts of a running run, so that a resumed run goes on from
 * them. Cheap; meant to be called inside the crawler's batches. */
int cd_store_run_progress(struct cd_store *s, int64_t run,
                          const struct cd_run_stats *stats,
                          struct cd_error *err);

/*
 * Pause a running run (a signal, or max_duration): mark it interrupted
 * with `why` (MAY be NULL) and `stats` (MAY be NULL), and keep its
 * frontier and staged records, so that the next crawl of the source
 * resumes it (cd_store_run_resume()). Records and places are not touched.
 * CD_ENOTFOUND, CD_EINVALID (not running).
 */
int cd_store_run_pause(struct cd_store *s, int64_t run, const char *why,
                       const struct cd_run_stats *stats,
                       struct cd_error *err);

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

/* ---- what documents gave, for incremental crawls (store/outputs.c) ---- */

/*
 * A document's records and followed links are kept with it, keyed by
 * (source_id, url) and tagged with the fingerprint of the definition that
 * parsed it, so that a later run can stage them again when the document
 * has not changed (304, same content hash, sitemap lastmod) without
 * parsing. Clear, add, seal: all inside the transaction that writes the
 * document, so what is kept always belongs to the stored validators.
 */

/* Forget what (source_id, url) gave, before it is parsed again. */
int cd_store_outputs_clear(struct cd_store *s, const char *source_id,
                           const char *url, struct cd_error *err);

/* Keep a record the document gave under `key` (number `seq` of its
 * outputs). */
int cd_store_output_record(struct cd_store *s, const char *source_id,
                           const char *url, int seq, const char *key,
                           const struct cd_record *rec,
                           struct cd_error *err);

/* Keep a link (absolute, as added to the frontier) the document gave. */
int cd_store_output_link(struct cd_store *s, const char *source_id,
                         const char *url, int seq, const char *link,
                         struct cd_error *err);

/* Mark what was kept for (source_id, url) complete, for `fingerprint`.
 * CD_ENOTFOUND when the document was never stored. */
int cd_store_outputs_seal(struct cd_store *s, const char *source_id,
                          const char *url, const char *fingerprint,
                          struct cd_error *err);

/*
 * What the last fetch of `url` gave, when its outputs are kept and were
 * made with `fingerprint`: then a 304 or the same content hash can reuse
 * them. 0, CD_ENOTFOUND (never fetched, nothing kept, or kept for another
 * definition), CD_EIO, CD_ENOMEM. Empty *out with cd_store_doc_dispose().
 */
int cd_store_doc_reusable(struct cd_doc_stored *out, struct cd_store *s,
                          const char *source_id, const char *url,
                          const char *fingerprint, struct cd_error *err);

/* Note that `url` was fetched again at fetched_ms and found unchanged. */
int cd_store_doc_touch(struct cd_store *s, const char *source_id,
                       const char *url, int64_t fetched_ms,
                       struct cd_error *err);

/*
 * Replay what (source_id, url) gave last time, in the order it was given:
 * cb gets each kept record (its key, its URL, its JSON as
 * cd_record_to_json() wrote it) with link NULL, and each kept link with
 * the others NULL. The crawler hands them to the same code that handles
 * a parser's output, so a reused page counts exactly as a parsed one. A
 * non-zero return of cb stops: CD_EUSER.
 */
typedef int cd_output_fn(const char *key, const char *rec_url,
                         const char *json, const char *link, void *payload);
int cd_store_outputs_replay(struct cd_store *s, const char *source_id,
                            const char *url, cd_output_fn *cb,
                            void *payload, struct cd_error *err);

/*
 * Call cb for each record staged so far by `run` (key, URL, JSON; link
 * NULL), in key order: how a resumed run learns what it had found.
 */
int cd_store_staged_foreach(struct cd_store *s, int64_t run,
                            cd_output_fn *cb, void *payload,
                            struct cd_error *err);

/* ---- one crawl at a time, backups (store/lock.c, store/backup.c) ------ */

struct cd_store_lock;

/*
 * Take the crawl lock of the database at `db_path`: an exclusive flock()
 * on the side file "<db_path>.lock", which the kernel drops when the
 * process ends however it ends, so a killed crawl never leaves a stale
 * lock. With `wait`, block until it is free (a signal ends the wait:
 * CD_EUSER). 0, CD_EBUSY (another process holds it; err names its pid),
 * CD_EIO, CD_ENOMEM. Release with cd_store_unlock().
 */
int cd_store_lock(struct cd_store_lock **out, const char *db_path, int wait,
                  struct cd_error *err);

/* Release the crawl lock; NULL is accepted. The side file stays. */
void cd_store_unlock(struct cd_store_lock *l);

/*
 * Copy the whole database, as one consistent snapshot, to `dest` with
 * SQLite's online backup API, while other processes go on reading and
 * writing it. The copy is written beside dest and renamed over it once
 * checked (PRAGMA quick_check), so dest is never half a database.
 * 0, CD_EIO, CD_ENOMEM.
 */
int cd_store_backup(struct cd_store *s, const char *dest,
                    struct cd_error *err);

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

/* ---- a place's history (store/history.c) ------------------------------ */

/* One change of a place, as the change feed keeps it. Strings borrowed
 * for the call. */
struct cd_change_info {
    int64_t version;        /* the store version the change took */
    const char *kind;       /* "added", "changed" or "removed" */
    const char *source_id;  /* whose run made it; MAY be NULL */
    int64_t run;            /* that run; 0 when unknown */
    const char *at;         /* commit time, RFC 3339 */
    const char *fields;     /* {"field": [old, new], ...} for a change
                               recorded with its fields; MAY be NULL */
};
typedef int cd_change_fn(const struct cd_change_info *ci, void *payload);

/*
 * Call cb for each change of place `place_id`, oldest first. *out_found
 * is 0 when the store has no such place (cb is then never called). A
 * non-zero return of cb stops and is passed up as CD_EUSER.
 */
int cd_store_place_history(int *out_found, struct cd_store *s,
                           const char *place_id, cd_change_fn *cb,
                           void *payload, struct cd_error *err);

/* ---- where a place came from (store/explain.c) ------------------------ */

/* One record that forms a place. Strings borrowed for the call. */
struct cd_place_record {
    const char *source_id;
    const char *key;          /* the source's key of the record */
    const char *url;          /* MAY be NULL */
    const char *data;         /* the record as staged (JSON) */
    const char *fetched_at;   /* MAY be NULL */
    const char *linked_at;    /* when it joined the place */
    long priority;            /* the source's priority */
    int missing;              /* successful runs in a row without it */
};
typedef int cd_place_record_fn(const struct cd_place_record *r,
                               void *payload);

/*
 * Read place `id` (live or removed) into out (initialised here; dispose it
 * after 0) and the source of each field into *provenance, a malloc'd JSON
 * object {"field": "source id", ...} (NULL when the place predates
 * merging), then call cb (MAY be NULL) for each record that forms it, best
 * first (the order its fields were chosen in); out and *provenance are
 * filled before the first call. CD_ENOTFOUND when there is no such place;
 * CD_EUSER when cb stops.
 */
int cd_store_place_explain(struct cd_place *out, char **provenance,
                           int *out_deleted, struct cd_store *s,
                           const char *id, cd_place_record_fn *cb,
                           void *payload, struct cd_error *err);

/*
 * The category words the run's records used that data/categories.tsv does
 * not map, appended to *out (sorted). 0 (nothing for a run that did not
 * commit), CD_EIO, CD_ENOMEM.
 */
int cd_store_run_unmapped(struct cd_strlist *out, struct cd_store *s,
                          int64_t run, struct cd_error *err);

/*
 * Fold the database of a shard (a crawl of some of the sources, see
 * `crawl --shard`) into s: each source whose last run there committed has
 * its records committed here as one run (store/shards.c), which replaces
 * what the source had here, merges into places and bumps the version. cb
 * (MAY be NULL) hears of each source folded. 0, CD_EINVALID (not a
 * citydir database, or s itself), CD_EIO.
 */
typedef int cd_fold_fn(const char *source_id,
                       const struct cd_run_stats *stats, void *payload);
int cd_store_fold_shard(struct cd_store *s, const char *shard_path,
                        cd_fold_fn *cb, void *payload, struct cd_error *err);

/* When the store reached version v (the commit time, ms), 0 if never. */
int cd_store_version_time(int64_t *out_ms, struct cd_store *s, int64_t v,
                          struct cd_error *err);

#endif
