/* SPDX-License-Identifier: MIT */
/*
 * One crawl at a time per database (store.h, cd_store_lock()). The lock
 * is an exclusive flock() on a side file, "<db>.lock", that holds the pid
 * and start time of its owner for the message a second crawl prints.
 * flock() belongs to the open file, and the kernel drops it when the
 * process ends however it ends (SIGKILL, a crash, a reboot), so there is
 * never a stale lock to clean up; the side file itself is never removed
 * (removing it would let two processes lock two different files). SQLite's
 * own locks are not enough: they guard single transactions, while a crawl
 * is a long series of them, and two crawls of one source would resume
 * the same run from two processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/util.h"
#include "store/internal.h"

struct cd_store_lock {
    int fd;       /* the side file, locked */
    char *path;   /* its name */
};

/* What the side file says about its owner ("pid 1234 since ..."), into
 * out; "" when it says nothing readable. */
static void owner_of(char *out, size_t n, int fd)
{
    char buf[128];
    ssize_t got;
    size_t i;

    out[0] = '\0';
    got = pread(fd, buf, sizeof(buf) - 1, 0);
    if(got <= 0)
        return;
    buf[got] = '\0';
    for(i = 0; buf[i]; i++)
        if(buf[i] == '\n' || (unsigned char)buf[i] < ' ')
            buf[i] = buf[i] == '\n' && buf[i + 1] ? ' ' : '\0';
    snprintf(out, n, "%s", buf);
}

int cd_store_lock(struct cd_store_lock **out, const char *db_path, int wait,
                  struct cd_error *err)
{
    struct cd_store_lock *l = calloc(1, sizeof(*l));
    char owner[128], line[96], at[32];
    size_t n = strlen(db_path) + 6;
    int rc = 0, len;

    *out = NULL;
    if(!l || !(l->path = malloc(n))) {
        free(l);
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory", db_path);
    }
    snprintf(l->path, n, "%s.lock", db_path);
    l->fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if(l->fd < 0) {
        rc = cd_error_set(err, CD_EIO, "%s: cannot open: %s", l->path,
                          strerror(errno));
        goto fail;
    }
    while(flock(l->fd, LOCK_EX | (wait ? 0 : LOCK_NB))) {
        if(errno == EWOULDBLOCK && !wait) {
            owner_of(owner, sizeof(owner), l->fd);
            rc = cd_error_set(err, CD_EBUSY,
                              "%s: another citydir crawl is running on it "
                              "(%s); wait for it to end, or use --wait",
                              db_path, owner[0] ? owner : "unknown pid");
            goto fail;
        }
        if(errno == EINTR) {
            rc = cd_error_set(err, CD_EUSER,
                              "%s: stopped while waiting for another crawl",
                              db_path);
            goto fail;
        }
        rc = cd_error_set(err, CD_EIO, "%s: cannot lock: %s", l->path,
                          strerror(errno));
        goto fail;
    }
    cd_time_format(at, cd_clock.now_ms());
    len = snprintf(line, sizeof(line), "pid %ld since %s\n", (long)getpid(),
                   at);
    /* the note is for people; a failure to write it changes nothing */
    if(!ftruncate(l->fd, 0) && len > 0 &&
       pwrite(l->fd, line, (size_t)len, 0) != len)
        (void)0;
    *out = l;
    return 0;
fail:
    if(l->fd >= 0)
        close(l->fd);
    free(l->path);
    free(l);
    return rc;
}

void cd_store_unlock(struct cd_store_lock *l)
{
    if(!l)
        return;
    if(l->fd >= 0) {
        /* leave no stale note behind for the next reader */
        if(ftruncate(l->fd, 0))
            (void)0;
        flock(l->fd, LOCK_UN);
        close(l->fd);
    }
    free(l->path);
    free(l);
}
