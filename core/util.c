/* SPDX-License-Identifier: MIT */
/* Small helpers: string lists, number parsing, the clock, hashing. */
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "core/error.h"

int cd_strlist_add(struct cd_strlist *l, const char *s, size_t n)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
    char *copy;

    if(!v)
        return CD_ENOMEM;
    l->v = v;
    copy = malloc(n + 1);
    if(!copy)
        return CD_ENOMEM;
    memcpy(copy, s, n);
    copy[n] = '\0';
    l->v[l->n++] = copy;
    return 0;
}

void cd_strlist_dispose(struct cd_strlist *l)
{
    size_t i;

    for(i = 0; i < l->n; i++)
        free(l->v[i]);
    CD_FREE(l->v);
    l->n = 0;
}

char *cd_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

int cd_parse_uint(unsigned long *out, const char *s, unsigned long max)
{
    char *end;
    unsigned long v;

    if(!s || *s < '0' || *s > '9')
        return CD_EINVALID;
    errno = 0;
    v = strtoul(s, &end, 10);
    if(errno || *end || v > max)
        return CD_EINVALID;
    *out = v;
    return 0;
}

static int64_t real_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t real_mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void real_sleep_ms(int64_t ms)
{
    struct timespec ts;

    if(ms <= 0)
        return;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000;
    nanosleep(&ts, NULL);
}

struct cd_clock_ops cd_clock = { real_now_ms, real_mono_ms, real_sleep_ms };

void cd_time_format(char out[32], int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cd_hash_hex(char out[33], const void *p, size_t n)
{
    XXH128_hash_t h = XXH3_128bits(p, n);

    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}
