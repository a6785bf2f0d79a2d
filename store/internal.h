/* SPDX-License-Identifier: MIT */
/*
 * What the files of store/ share and nobody else sees: the struct behind
 * struct cd_store, the table of cached statements, error helpers that turn
 * an SQLite failure into a message naming the database file, transaction
 * helpers, and the state of one commit in progress (runs.c drives it,
 * places.c merges each record into a place).
 *
 * Statements used in loops are prepared once with SQLITE_PREPARE_PERSISTENT
 * and kept in the store (cd_store_stmt()); every user resets the statement
 * (cd_store_stmt_done()) before returning, so that no cached statement
 * keeps a read transaction open.
 */
#ifndef CD_STORE_INTERNAL_H
#define CD_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/* PRAGMA application_id of a citydir database: "city" in ASCII. */
#define CD_STORE_APP_ID 0x63697479

/* How long a statement waits for another process's lock, ms. */
#define CD_STORE_BUSY_MS 10000

/* The cached statements; their SQL is in store.c. */
enum cd_store_st {
    CD_ST_STAGE,             /* stage one record of a run */
    CD_ST_FRONTIER_ADD,      /* add a URL unless seen */
    CD_ST_FRONTIER_SELECT,   /* queued URLs whose time has come */
    CD_ST_FRONTIER_ACTIVE,   /* mark one in flight, by rowid */
    CD_ST_FRONTIER_DONE,     /* mark one done */
    CD_ST_FRONTIER_RETRY,    /* back to the queue, later */
    CD_ST_FRONTIER_PENDING,  /* count queued */
    CD_ST_FRONTIER_NEXT,     /* earliest not-before of queued */
    CD_ST_DOC_PUT,           /* upsert a fetched document */
    CD_ST_DOC_GET,           /* read one back */
    CD_ST_PLACE_STATE,       /* hash and deleted flag of a place */
    CD_ST_PLACE_UPSERT,      /* write all of a place's data */
    CD_ST_PLACE_SOURCES,     /* refresh the sources of a place only */
    CD_ST_PLACE_REMOVE,      /* mark a place deleted */
    CD_ST_CHANGE_ADD,        /* one row of the change feed */
    CD_ST_RECORD_ADD,        /* one committed record */
    CD_ST_OUTPUT_ADD,        /* keep one output of a document */
    CD_ST_OUTPUTS_DROP,      /* forget the outputs of a document */
    CD_ST_OUTPUTS_OF,        /* set (or clear) a document's fingerprint */
    CD_ST_DOC_REUSABLE,      /* a document whose outputs can be reused */
    CD_ST__COUNT
};

struct cd_store {
    sqlite3 *db;                            /* the connection */
    char *path;                             /* as given, for messages */
    unsigned flags;                         /* CD_STORE_* */
    int schema_version;                     /* PRAGMA user_version */
    int depth;                              /* transactions open, nested */
    sqlite3_stmt *st[CD_ST__COUNT];         /* cached, NULL until used */
};

/*
 * Set err from the connection's last SQLite error: "PATH: WHAT: sqlite's
 * message", where WHAT comes from fmt. The code is CD_EBUSY for a lock held
 * by another process, CD_ENOMEM when memory ran out, else CD_EIO.
 * Returns that code.
 */
int cd_store_dberr(struct cd_store *s, struct cd_error *err, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));

/*
 * The cached statement `id`, prepared on first use, reset and with its
 * bindings cleared. 0 or an error from cd_store_dberr().
 */
int cd_store_stmt(sqlite3_stmt **out, struct cd_store *s, enum cd_store_st id,
                  struct cd_error *err);

/* Reset a statement and clear its bindings; NULL is accepted. */
void cd_store_stmt_done(sqlite3_stmt *st);

/* Prepare a one-off statement; the caller finalizes it. It comes from a
 * per-connection cache (store/stmtcache.c), so the same text is prepared
 * once, however often a commit runs it. */
int cd_store_prepare(sqlite3_stmt **out, struct cd_store *s, const char *sql,
                     struct cd_error *err);

/*
 * The statement cache (store/stmtcache.c). In the files of store/,
 * sqlite3_finalize() is cd_store_finalize(): a cached statement is reset
 * and handed back to the cache, any other is finalized. _drop finalizes
 * every cached statement of a connection, before it closes.
 */
int cd_store_cache_prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql);
int cd_store_finalize(sqlite3_stmt *st);
void cd_store_cache_drop(sqlite3 *db);
#define sqlite3_finalize(st) cd_store_finalize(st)

/* Bind a string, or NULL when s is NULL. The string must outlive the step. */
int cd_store_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Run SQL without results (DDL, pragmas, transaction control). */
int cd_store_exec(struct cd_store *s, const char *sql, struct cd_error *err);

/* Open, commit or roll back a (possibly nested) transaction; see
 * store.c. rollback does nothing when none is open. */
int cd_store_begin(struct cd_store *s, struct cd_error *err);
int cd_store_commit_tx(struct cd_store *s, struct cd_error *err);
void cd_store_rollback(struct cd_store *s);

/* Now as RFC 3339, from cd_clock. */
void cd_store_now(char out[32]);

/* A copy of a text column, or NULL when it is NULL. CD_ENOMEM. */
int cd_store_column_dup(char **out, sqlite3_stmt *st, int col);

/* Apply the migrations (schema.c). Called by cd_store_open(). */
int cd_store_migrate(struct cd_store *s, struct cd_error *err);

/* The state of one commit in progress. */
struct cd_store_commit {
    struct cd_store *s;
    int64_t run;
    const char *source_id;
    char now[32];                /* commit time, RFC 3339 */
    int64_t version;             /* store version, bumped per change */
    struct cd_run_stats *stats;  /* added, changed, removed counted here */
    int temp_ready;              /* merge's temp tables and pragma set up:
                                    once per commit, as the pragma expires
                                    every prepared statement */
    char run_text[24];           /* run, as text for bound parameters */
};

/*
 * Start merging a commit's records (store/merge.c): set up the temporary
 * tables and note which staged records came back exactly as the source's
 * committed record under the same key (same data, same page). Those keep
 * their place untouched. MUST run before the source's old records are
 * retired.
 */
int cd_store_merge_begin(struct cd_store_commit *c, struct cd_error *err);

/*
 * Link one staged record (its JSON `data`) to a place (store/merge.c):
 * the one it was linked to, a place of other sources it matches, or a new
 * one; out_id receives the place id. The place's fields are assembled in
 * cd_store_place_sweep(). CD_EINVALID when data is not a record's JSON.
 */
int cd_store_place_merge(char out_id[17], char **out_notes,
                         struct cd_store_commit *c,
                         const char *key, const char *url, const char *data,
                         const char *fetched_at, struct cd_error *err);

/*
 * End the merging of a commit (store/merge.c): unlink the source's records
 * that the removal policy dropped, then assemble again every place that
 * gained, kept or lost a record; each addition, change and removal bumps
 * the version and writes a change row.
 */
int cd_store_place_sweep(struct cd_store_commit *c, struct cd_error *err);

/* The stable id of (source, key): 16 hex digits of the hash of source,
 * NUL, key. 0 or CD_ENOMEM (a very long key). */
int cd_store_place_id(char out[17], const char *source_id, const char *key);

/*
 * The data fields of a place as canonical JSON (fixed key order): what its
 * hash covers and what a change's fields compare. malloc'd; NULL when
 * memory is out. (store/places.c)
 */
char *cd_store_place_data_json(const struct cd_place *p);

/*
 * What a change of place `id` changes, {"field": [old, new], ...}, from
 * the stored place to the canonical JSON new_json; *out malloc'd, NULL
 * when nothing differs. (store/places.c)
 */
int cd_store_change_fields(char **out, struct cd_store_commit *c,
                           const char *id, const char *new_json,
                           struct cd_error *err);

/*
 * Read place `id` (live or removed) into p (empty on entry): 0,
 * CD_ENOTFOUND, CD_EINVALID (bad JSON in a list column), CD_EIO,
 * CD_ENOMEM. (store/places.c)
 */
int cd_store_place_read(struct cd_place *p, int *out_deleted,
                        struct cd_store *s, const char *id,
                        struct cd_error *err);

#endif
