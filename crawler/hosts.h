/* SPDX-License-Identifier: MIT */
/*
 * Per-host politeness (crawler/hosts.c): how many requests each host has
 * in flight and when the next may start. One small entry per host being
 * crawled; an entry is dropped once its host is idle and its delay over.
 * Times are monotonic milliseconds (cd_clock.mono_ms).
 */
#ifndef CD_HOSTS_H
#define CD_HOSTS_H

#include <stdint.h>

struct cd_hosts;

/* An empty table. 0 or CD_ENOMEM. */
int cd_hosts_new(struct cd_hosts **out);

/* NULL is accepted. */
void cd_hosts_free(struct cd_hosts *h);

/*
 * Whether a request to `host` may start at `now` with at most `concurrency`
 * at once (0 counts as 1): returns 0 when it may, the milliseconds to wait
 * when the delay is not over, or -1 when the host is busy (wait for one of
 * its transfers to end).
 */
int64_t cd_hosts_wait(struct cd_hosts *h, const char *host,
                      unsigned long concurrency, int64_t now);

/* Note that a request to `host` starts at `now`; the next may start
 * `delay_ms` later. 0 or CD_ENOMEM. */
int cd_hosts_start(struct cd_hosts *h, const char *host,
                   unsigned long delay_ms, int64_t now);

/* Note that a request to `host` ended. */
void cd_hosts_end(struct cd_hosts *h, const char *host, int64_t now);

/* Hold `host` back: no request starts before `until` (monotonic ms), for
 * a 429 or 503 with Retry-After, or a backoff after server trouble. A
 * later start keeps the later of the two. 0 or CD_ENOMEM. */
int cd_hosts_hold(struct cd_hosts *h, const char *host, int64_t until,
                  int64_t now);

/* How many requests `host` has in flight. */
unsigned cd_hosts_inflight(const struct cd_hosts *h, const char *host);

#endif
