/* SPDX-License-Identifier: MIT */
/*
 * Small helpers used everywhere: freeing, string lists, the clock, hashing.
 *
 * The clock goes through a replaceable table of functions (after SQLite's
 * aSyscall[]), so politeness and retry tests never really wait.
 */
#ifndef CD_UTIL_H
#define CD_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Free p and set it to NULL. */
#define CD_FREE(p) do { free(p); (p) = NULL; } while(0)

#define CD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A list of malloc'd strings. */
struct cd_strlist {
    char **v;  /* the strings, each owned by the list */
    size_t n;  /* how many */
};

/* Append a copy of s (n bytes). 0 or CD_ENOMEM. */
int cd_strlist_add(struct cd_strlist *l, const char *s, size_t n);
/* Free every string; the list is empty afterwards. */
void cd_strlist_dispose(struct cd_strlist *l);

/* strdup() that returns NULL for NULL. */
char *cd_strdup(const char *s);

/* Parse a whole decimal unsigned number; CD_EINVALID on junk or overflow. */
int cd_parse_uint(unsigned long *out, const char *s, unsigned long max);

/* The clock and sleeping, replaceable by tests. */
struct cd_clock_ops {
    int64_t (*now_ms)(void);        /* wall clock, ms since the epoch */
    int64_t (*mono_ms)(void);       /* monotonic clock, ms */
    void (*sleep_ms)(int64_t ms);   /* wait; MAY return early */
};
extern struct cd_clock_ops cd_clock;

/* Write an RFC 3339 UTC time ("2026-11-27T13:46:22Z") into out. */
void cd_time_format(char out[32], int64_t ms_since_epoch);

/*
 * A 128-bit hash of n bytes, written as 32 lowercase hex digits into out
 * (xxHash XXH3-128). Used for content hashes and stable place ids.
 */
void cd_hash_hex(char out[33], const void *p, size_t n);

#endif
