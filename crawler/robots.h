/* SPDX-License-Identifier: MIT */
/*
 * robots.txt (RFC 9309): reading one file into the rules that apply to
 * citydir, matching a URL's path against them, and a small cache of the
 * rules of every origin (scheme, host, port) a crawl talks to, so that
 * each robots.txt is fetched once per crawl (crawler/robots.c).
 *
 * The group of rules that applies is the one (or the ones, merged) whose
 * User-agent line names citydir's product token, case-insensitively; else
 * the `*` group(s); else none, and everything is allowed. Allow and
 * Disallow take `*` (any run of characters) and a final `$` (the end); the
 * longest matching rule wins, and Allow wins a tie. Crawl-delay (seconds,
 * not in the RFC but common) and Sitemap lines are kept. A robots.txt that
 * answers 4xx allows everything; one that answers 5xx or cannot be reached
 * disallows everything for the crawl (cd_robots_new()).
 */
#ifndef CD_ROBOTS_H
#define CD_ROBOTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

/* The product token that robots.txt groups are matched against. */
#define CD_ROBOTS_AGENT "citydir"

/* The most of a robots.txt that is read (RFC 9309 2.5: at least 500
 * KiB); what comes after is ignored. */
#define CD_ROBOTS_MAX_BYTES (512u * 1024)

/* A Crawl-delay longer than this is cut to it. */
#define CD_ROBOTS_MAX_DELAY_MS (10 * 60 * 1000)

/* The rules of one origin. */
struct cd_robots;

enum cd_robots_kind {
    CD_ROBOTS_ALLOW_ALL,     /* no robots.txt (4xx): anything goes */
    CD_ROBOTS_DISALLOW_ALL,  /* 5xx or unreachable: nothing this crawl */
};

/* Rules that allow or disallow everything; `why` (MAY be NULL) says why,
 * for the report. 0 or CD_ENOMEM. */
int cd_robots_new(struct cd_robots **out, enum cd_robots_kind kind,
                  const char *why);

/*
 * Read a robots.txt body (len bytes, not NUL-terminated; past
 * CD_ROBOTS_MAX_BYTES is ignored) for the product token `agent` (NULL:
 * CD_ROBOTS_AGENT). Anything that is not a rule is skipped, as the RFC
 * asks, so this fails only for want of memory: 0 or CD_ENOMEM.
 */
int cd_robots_parse(struct cd_robots **out, const char *body, size_t len,
                    const char *agent);

/* NULL is accepted. */
void cd_robots_free(struct cd_robots *r);

/*
 * Whether `path` (the path and query of a URL, as sent: "/a/b?x=1"; empty
 * counts as "/") may be fetched. /robots.txt is always allowed.
 */
int cd_robots_allowed(const struct cd_robots *r, const char *path);

/* The Crawl-delay of the group that applies, in ms (at most
 * CD_ROBOTS_MAX_DELAY_MS), or -1 when it sets none. */
int64_t cd_robots_delay_ms(const struct cd_robots *r);

/* The Sitemap URLs the file names, in order. Borrowed from r. */
const struct cd_strlist *cd_robots_sitemaps(const struct cd_robots *r);

/* Why everything is disallowed ("robots.txt: HTTP 503"), or NULL when the
 * rules come from a file. Borrowed from r. */
const char *cd_robots_why(const struct cd_robots *r);

/*
 * Split an absolute http(s) URL into its origin ("http://host:port", the
 * scheme and host lower-cased, the port only when given) and its path
 * with query ("/a?b", "/" when empty), both malloc'd. 0, CD_EINVALID (not
 * an http(s) URL with a host), CD_ENOMEM.
 */
int cd_robots_split(char **out_origin, char **out_path, const char *url);

/* ---- the cache of a crawl ---------------------------------------------- */

struct cd_robots_cache;

enum cd_robots_state {
    CD_ROBOTS_UNKNOWN,   /* never asked: fetch it */
    CD_ROBOTS_PENDING,   /* being fetched: wait */
    CD_ROBOTS_READY,     /* the rules are known */
};

/* An empty cache. 0 or CD_ENOMEM. */
int cd_robots_cache_new(struct cd_robots_cache **out);

/* Free the cache and every rule set in it; NULL is accepted. */
void cd_robots_cache_free(struct cd_robots_cache *c);

/* The state of `origin`; when ready, *rules (MAY be NULL) is borrowed
 * from the cache. */
enum cd_robots_state cd_robots_cache_get(const struct cd_robots **rules,
                                         const struct cd_robots_cache *c,
                                         const char *origin);

/* Mark `origin` as being fetched; counts a try. 0 or CD_ENOMEM. */
int cd_robots_cache_pending(struct cd_robots_cache *c, const char *origin);

/* A fetch of `origin` failed and will be tried again: back to unknown,
 * the tries counted so far kept. */
void cd_robots_cache_retry(struct cd_robots_cache *c, const char *origin);

/* How many fetches of `origin` were started. */
unsigned cd_robots_cache_tries(const struct cd_robots_cache *c,
                               const char *origin);

/* Keep the rules of `origin`; takes ownership of `rules` (freed on
 * CD_ENOMEM too). */
int cd_robots_cache_put(struct cd_robots_cache *c, const char *origin,
                        struct cd_robots *rules);

#endif
