/* SPDX-License-Identifier: MIT */
/*
 * Per-host politeness: a small table of the hosts being crawled, each with
 * its transfers in flight and the earliest time the next may start (the
 * last start plus the delay of the source that started it). A crawl talks
 * to a handful of hosts at once, so a linear search is the right tool; idle
 * entries whose delay is over are dropped, so the table stays small.
 */
#include "crawler/hosts.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

struct host {
    char *name;          /* "example.org" or "example.org:8080" */
    unsigned inflight;   /* requests started, not ended */
    int64_t next_ms;     /* no new request before this time */
};

struct cd_hosts {
    struct host *v;
    size_t n, cap;
};

int cd_hosts_new(struct cd_hosts **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : CD_ENOMEM;
}

void cd_hosts_free(struct cd_hosts *h)
{
    size_t i;

    if(!h)
        return;
    for(i = 0; i < h->n; i++)
        free(h->v[i].name);
    free(h->v);
    free(h);
}

static struct host *find(const struct cd_hosts *h, const char *name)
{
    size_t i;

    for(i = 0; i < h->n; i++)
        if(!strcmp(h->v[i].name, name))
            return &h->v[i];
    return NULL;
}

/* Drop entries that no longer hold anything back. */
static void prune(struct cd_hosts *h, int64_t now)
{
    size_t i = 0;

    while(i < h->n) {
        if(!h->v[i].inflight && h->v[i].next_ms <= now) {
            free(h->v[i].name);
            h->v[i] = h->v[--h->n];
        } else {
            i++;
        }
    }
}

int64_t cd_hosts_wait(struct cd_hosts *h, const char *host,
                      unsigned long concurrency, int64_t now)
{
    const struct host *e = find(h, host);

    if(!concurrency)
        concurrency = 1;
    if(!e)
        return 0;
    if(e->inflight >= concurrency)
        return -1;
    return e->next_ms > now ? e->next_ms - now : 0;
}

/* The entry of `host`, added when missing; NULL when memory is out. */
static struct host *find_or_add(struct cd_hosts *h, const char *host,
                                int64_t now)
{
    struct host *e = find(h, host);

    if(!e) {
        prune(h, now);
        if(h->n == h->cap) {
            size_t cap = h->cap ? h->cap * 2 : 8;
            struct host *v = realloc(h->v, cap * sizeof(*v));

            if(!v)
                return NULL;
            h->v = v;
            h->cap = cap;
        }
        e = &h->v[h->n];
        e->name = strdup(host);
        if(!e->name)
            return NULL;
        e->inflight = 0;
        e->next_ms = 0;
        h->n++;
    }
    return e;
}

int cd_hosts_start(struct cd_hosts *h, const char *host,
                   unsigned long delay_ms, int64_t now)
{
    struct host *e = find_or_add(h, host, now);

    if(!e)
        return CD_ENOMEM;
    e->inflight++;
    if(now + (int64_t)delay_ms > e->next_ms)
        e->next_ms = now + (int64_t)delay_ms;
    return 0;
}

int cd_hosts_hold(struct cd_hosts *h, const char *host, int64_t until,
                  int64_t now)
{
    struct host *e = find_or_add(h, host, now);

    if(!e)
        return CD_ENOMEM;
    if(until > e->next_ms)
        e->next_ms = until;
    return 0;
}

void cd_hosts_end(struct cd_hosts *h, const char *host, int64_t now)
{
    struct host *e = find(h, host);

    if(e && e->inflight)
        e->inflight--;
    prune(h, now);
}

unsigned cd_hosts_inflight(const struct cd_hosts *h, const char *host)
{
    const struct host *e = find(h, host);

    return e ? e->inflight : 0;
}
