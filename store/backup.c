/* SPDX-License-Identifier: MIT */
/*
 * Backups with SQLite's online backup API (store.h, cd_store_backup()).
 * The whole database is copied in one step, inside one read transaction:
 * in WAL mode a reader never blocks the writers, so a crawl goes on while
 * the copy is made, and the copy is one consistent snapshot (copying in
 * small steps would restart whenever another process writes). The copy is
 * written to "<dest>.tmp-<pid>", checked with PRAGMA quick_check, synced,
 * and renamed over dest: a reader of dest never sees half a database.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "store/internal.h"

/* Copy s into the open database dst. 0 or an error naming tmp. */
static int copy_into(sqlite3 *dst, struct cd_store *s, const char *tmp,
                     struct cd_error *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
    int rc, tries = 0;

    if(!b)
        return cd_error_set(err, CD_EIO, "%s: cannot start the backup: %s",
                            tmp, sqlite3_errmsg(dst));
    for(;;) {
        rc = sqlite3_backup_step(b, -1);
        if(rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        if(++tries > CD_STORE_BUSY_MS / 50)
            break;
        sqlite3_sleep(50);
    }
    sqlite3_backup_finish(b);
    if(rc != SQLITE_DONE)
        return cd_error_set(err, rc == SQLITE_NOMEM ? CD_ENOMEM : CD_EIO,
                            "%s: backing up %s: %s", tmp, s->path,
                            sqlite3_errstr(rc));
    return 0;
}

/* PRAGMA quick_check of the copy says "ok". */
static int check_copy(sqlite3 *dst, const char *tmp, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *v;
    int rc = 0;

    if(sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &st, NULL))
        return cd_error_set(err, CD_EIO, "%s: checking the copy: %s", tmp,
                            sqlite3_errmsg(dst));
    if(sqlite3_step(st) != SQLITE_ROW ||
       !(v = (const char *)sqlite3_column_text(st, 0)) || strcmp(v, "ok"))
        rc = cd_error_set(err, CD_EIO, "%s: the copy is damaged: %s", tmp,
                          sqlite3_errmsg(dst));
    sqlite3_finalize(st);
    return rc;
}

int cd_store_backup(struct cd_store *s, const char *dest,
                    struct cd_error *err)
{
    sqlite3 *dst = NULL;
    char *tmp;
    size_t n = strlen(dest) + 32;
    int rc;

    tmp = malloc(n);
    if(!tmp)
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory", dest);
    snprintf(tmp, n, "%s.tmp-%ld", dest, (long)getpid());
    unlink(tmp);
    if(sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
                       SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = cd_error_set(err, CD_EIO, "%s: cannot create: %s", tmp,
                          dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    rc = copy_into(dst, s, tmp, err);
    if(!rc)
        rc = check_copy(dst, tmp, err);
    /* a self-contained file: fold the copy's WAL (if any) back in */
    if(!rc && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
                           NULL) != SQLITE_OK)
        rc = cd_error_set(err, CD_EIO, "%s: %s", tmp, sqlite3_errmsg(dst));
    if(sqlite3_close(dst) != SQLITE_OK && !rc)
        rc = cd_error_set(err, CD_EIO, "%s: cannot close", tmp);
    dst = NULL;
    if(!rc && rename(tmp, dest))
        rc = cd_error_set(err, CD_EIO, "%s: cannot rename to %s: %s", tmp,
                          dest, strerror(errno));
out:
    if(dst)
        sqlite3_close(dst);
    if(rc)
        unlink(tmp);
    free(tmp);
    return rc;
}
