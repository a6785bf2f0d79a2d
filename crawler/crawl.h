/* SPDX-License-Identifier: MIT */
/*
 * The crawler: runs sources against the web and feeds the store.
 *
 * Divisions:
 *   crawler/crawl.c     runs of sources: frontier, parsing, staging, commit
 *   crawler/fetch.c     libcurl multi: transfers, limits, retries, redirects
 *   crawler/hosts.c     per-host politeness: concurrency and delay
 *   crawler/robots.c    robots.txt: rules, matching, a cache per crawl
 *   crawler/sitemap.c   sitemaps and sitemap indexes, read as a stream
 *   crawler/url.c       resolving and normalising URLs (libcurl's URL API)
 *   crawler/report.c    the per-source report, human and JSON
 *
 * All sources of one crawl share one libcurl multi handle, so different
 * hosts are fetched at once while each host sees at most its source's
 * concurrency, `delay_ms` apart. The frontier and the seen-set are in the
 * store, so memory stays flat however large a site is.
 */
#ifndef CD_CRAWL_H
#define CD_CRAWL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "store/store.h"

struct cd_source;

#define CD_USER_AGENT \
    "citydir/" CD_VERSION " (+https://github.com/citydir/citydir)"

struct cd_crawl_opts {
    const char *user_agent;          /* NULL: CD_USER_AGENT */
    int progress;                    /* draw a progress line on stderr */
    volatile sig_atomic_t *stop;     /* set by a signal: stop gracefully;
                                        MAY be NULL */
    unsigned long max_body;          /* response size cap; 0: CD_MAX_BODY */
    unsigned long min_retry_ms;      /* first backoff step; 0: 1000 */
    int restart;                     /* abandon unfinished runs instead
                                        of resuming them */
};

/* What happened to one source in a crawl. */
struct cd_source_report {
    char *source_id;
    enum cd_run_status status;
    struct cd_run_stats stats;
    int64_t duration_ms;
    char error[CD_ERROR_MSG_MAX];    /* why it failed; "" when ok */
    char warning[CD_ERROR_MSG_MAX];  /* the first parser warning; "" when
                                        none (stats.warnings counts all) */
    int resumed;                     /* went on with an unfinished run */
    struct cd_strlist unmapped;      /* category words data/ does not
                                        map, of a committed run */
};

struct cd_crawl_report {
    struct cd_source_report *v;      /* one per source, in given order */
    size_t n;
    int64_t started_ms;
    int64_t finished_ms;
};

/*
 * Crawl every source in `srcs` and commit each run that succeeded.
 * Returns 0 when the crawl itself could run (look at the report for failed
 * sources), or an error that stopped everything (database trouble).
 */
int cd_crawl_run(struct cd_crawl_report *out, struct cd_store *store,
                 struct cd_source *const *srcs, size_t n,
                 const struct cd_crawl_opts *opts, struct cd_error *err);

/* Free what a report holds. */
void cd_crawl_report_dispose(struct cd_crawl_report *r);

/* Print the report for people (stderr in the CLI). */
void cd_crawl_report_print(const struct cd_crawl_report *r, FILE *f);

/* Write the report as JSON to `path`. */
int cd_crawl_report_write_json(const struct cd_crawl_report *r,
                               const char *path, struct cd_error *err);

/* A fetched document, for `citydir try`. */
struct cd_fetched {
    char *url;           /* final URL */
    long status;
    char *content_type;  /* media type, no parameters; MAY be NULL */
    char *charset;       /* from Content-Type; MAY be NULL */
    char *etag;
    char *last_modified;
    char *body;
    size_t len;
};

/* Fetch one URL with the source's settings (blocking). A non-2xx status is
 * not an error here: look at out->status. */
int cd_fetch_one(struct cd_fetched *out, const char *url,
                 const struct cd_source *src, const struct cd_crawl_opts *o,
                 struct cd_error *err);

void cd_fetched_dispose(struct cd_fetched *f);

#endif
