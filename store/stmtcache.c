/* SPDX-License-Identifier: MIT */
/*
 * The cache behind cd_store_prepare(): a statement prepared once per
 * connection and SQL text, handed out again after the caller "finalizes"
 * it. A commit prepared a dozen one-off statements per record (merging,
 * outputs, documents), and preparing was a seventh of a crawl's time.
 *
 * store/internal.h maps sqlite3_finalize() to cd_store_finalize() in every
 * file of store/, so callers keep the plain prepare-step-finalize pattern:
 * a cached statement is reset and its bindings cleared; any other one is
 * finalized for real. A statement asked for while its cached twin is in
 * use (a nested query of the same text) is prepared afresh, uncached.
 * cd_store_close() drops a connection's statements.
 *
 * The table is process-wide, because a statement alone does not say which
 * store it belongs to, and guarded by a mutex (stores may live on several
 * threads). When it is full, statements are simply not cached.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#undef sqlite3_finalize

#define CACHE_SLOTS 512

struct slot {
    sqlite3 *db;          /* NULL: free */
    char *sql;            /* the text, owned */
    uint64_t hash;        /* of db and sql */
    sqlite3_stmt *st;
    int in_use;           /* handed out, not yet given back */
};

static struct slot slots[CACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash_of(const sqlite3 *db, const char *sql)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)db;

    for(; *sql; sql++)
        h = (h ^ (unsigned char)*sql) * 1099511628211ULL;
    return h;
}

/* A free statement for (db, sql) from the cache, marked in use; NULL when
 * there is none. *out_slot is where a new one may go, or -1. */
static sqlite3_stmt *take(int *out_slot, sqlite3 *db, const char *sql,
                          uint64_t h)
{
    size_t i, k;

    *out_slot = -1;
    for(k = 0; k < 8; k++) {
        struct slot *s;

        i = (size_t)((h + k) % CACHE_SLOTS);
        s = &slots[i];
        if(!s->db) {
            if(*out_slot < 0)
                *out_slot = (int)i;
            continue;
        }
        if(s->hash != h || s->db != db || strcmp(s->sql, sql))
            continue;
        if(s->in_use)
            return NULL;  /* nested use: prepare another, uncached */
        s->in_use = 1;
        return s->st;
    }
    return NULL;
}

int cd_store_cache_prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql)
{
    uint64_t h = hash_of(db, sql);
    sqlite3_stmt *st;
    char *copy;
    int free_slot, rc;

    pthread_mutex_lock(&lock);
    st = take(&free_slot, db, sql, h);
    pthread_mutex_unlock(&lock);
    if(st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        *out = st;
        return SQLITE_OK;
    }
    rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
                            NULL);
    if(rc != SQLITE_OK || free_slot < 0 || !*out)
        return rc;
    copy = strdup(sql);
    if(!copy)
        return SQLITE_OK;  /* works, uncached */
    pthread_mutex_lock(&lock);
    if(!slots[free_slot].db) {
        slots[free_slot].db = db;
        slots[free_slot].sql = copy;
        slots[free_slot].hash = h;
        slots[free_slot].st = *out;
        slots[free_slot].in_use = 1;
        copy = NULL;
    }
    pthread_mutex_unlock(&lock);
    free(copy);
    return SQLITE_OK;
}

int cd_store_finalize(sqlite3_stmt *st)
{
    const char *sql;
    uint64_t h;
    size_t i, k;

    if(!st)
        return SQLITE_OK;
    sql = sqlite3_sql(st);
    if(sql) {
        h = hash_of(sqlite3_db_handle(st), sql);
        pthread_mutex_lock(&lock);
        for(k = 0; k < 8; k++) {
            i = (size_t)((h + k) % CACHE_SLOTS);
            if(slots[i].st == st && slots[i].db) {
                int rc;

                pthread_mutex_unlock(&lock);
                /* as sqlite3_finalize(): the error of the last step */
                rc = sqlite3_reset(st);
                sqlite3_clear_bindings(st);
                pthread_mutex_lock(&lock);
                slots[i].in_use = 0;
                pthread_mutex_unlock(&lock);
                return rc;
            }
        }
        pthread_mutex_unlock(&lock);
    }
    return sqlite3_finalize(st);
}

void cd_store_cache_drop(sqlite3 *db)
{
    size_t i;

    pthread_mutex_lock(&lock);
    for(i = 0; i < CACHE_SLOTS; i++) {
        if(slots[i].db != db)
            continue;
        sqlite3_finalize(slots[i].st);
        free(slots[i].sql);
        memset(&slots[i], 0, sizeof(slots[i]));
    }
    pthread_mutex_unlock(&lock);
}
