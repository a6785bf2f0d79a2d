/* SPDX-License-Identifier: MIT */
/*
 * Transfers: one libcurl easy handle set up with a source's limits, its
 * body collected under a ceiling, and its outcome sorted into "use it",
 * "try again later" and "give up" (crawler/fetch.c). The crawler adds the
 * handles to its multi handle; cd_fetch_one() runs one alone.
 */
#ifndef CD_FETCH_H
#define CD_FETCH_H

#include <stdint.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/error.h"

struct cd_source;
struct cd_crawl_opts;

/* Retries and redirects are bounded whatever a definition says. */
#define CD_FETCH_MAX_REDIRECTS 20
#define CD_FETCH_MAX_RETRIES   10
#define CD_FETCH_DEFAULT_RETRY_MS 1000
/* A Retry-After longer than this is not waited for: the page fails. */
#define CD_FETCH_MAX_RETRY_AFTER_MS (15 * 60 * 1000)

struct cd_xfer {
    CURL *easy;                     /* owned */
    char *url;                      /* as asked, owned */
    struct cd_buf body;             /* the body, up to the size cap */
    unsigned long max_body;         /* the size cap */
    long max_redirects;             /* as set on the handle */
    int too_big;                    /* the cap was hit */
    int nomem;                      /* the body could not be kept */
    char errbuf[CURL_ERROR_SIZE];   /* libcurl's message */
    struct curl_slist *headers;     /* extra request headers, owned */
    int conditional;                /* validators were sent */
    void *payload;                  /* the caller's, untouched */
};

enum cd_xfer_outcome {
    CD_XFER_OK,       /* a 2xx answer with its body */
    CD_XFER_RETRY,    /* timeout, connection trouble, 5xx: try again */
    CD_XFER_FAILED,   /* 4xx, redirect loop, bad protocol: final */
    CD_XFER_TOOBIG,   /* larger than the cap: final */
    CD_XFER_NOT_MODIFIED,  /* 304 to a conditional GET: the stored
                              document is still right */
};

/* What a finished transfer gave. Strings owned, freed by _dispose. */
struct cd_xfer_result {
    enum cd_xfer_outcome outcome;
    CURLcode code;         /* libcurl's result */
    long status;           /* last HTTP status, 0 when none */
    char *final_url;       /* after redirects; never NULL unless ENOMEM */
    char *content_type;    /* media type, lower-case; MAY be NULL */
    char *charset;         /* lower-case; MAY be NULL */
    char *etag;            /* MAY be NULL */
    char *last_modified;   /* MAY be NULL */
    char why[256];         /* "HTTP 500", "connection refused"; "" if ok */
    int64_t retry_after_ms;/* a 429's or 503's Retry-After from now, ms;
                              -1 when none */
};

/*
 * Make a transfer of `url` with the limits of `src` (MAY be NULL: the
 * defaults) and `o` (MAY be NULL). 0 or CD_ENOMEM. Free with
 * cd_xfer_free().
 */
int cd_xfer_new(struct cd_xfer **out, const char *url,
                const struct cd_source *src, const struct cd_crawl_opts *o,
                struct cd_error *err);

/*
 * Make the transfer conditional: If-None-Match with `etag`, and
 * If-Modified-Since with `last_modified` (each MAY be NULL; with both
 * NULL nothing changes). Before the transfer starts. 0 or CD_ENOMEM.
 */
int cd_xfer_validators(struct cd_xfer *x, const char *etag,
                       const char *last_modified);

/* Free a transfer (not attached to a multi handle any more); NULL is
 * accepted. */
void cd_xfer_free(struct cd_xfer *x);

/* Sort out how a transfer ended, given libcurl's result code. Strings in
 * *out are owned by it. */
void cd_xfer_result(struct cd_xfer_result *out, struct cd_xfer *x,
                    CURLcode rc);

void cd_xfer_result_dispose(struct cd_xfer_result *r);

/* How many tries a source allows (its retries plus one, bounded). */
unsigned cd_fetch_max_tries(const struct cd_source *src);

/* How long to wait before try number `tries` + 1, `tries` made: the first
 * backoff step of `o`, doubled for each earlier retry, at most 10 min,
 * with jitter: a random time between half of that and all of it, so that
 * many crawlers that failed together do not come back together. */
int64_t cd_fetch_backoff_ms(const struct cd_crawl_opts *o, int tries);

/*
 * A Retry-After header value (RFC 9110 10.2.3: seconds, or an HTTP-date)
 * as milliseconds from `now_ms` (ms since the epoch): 0 for a date in the
 * past, -1 when the value is neither.
 */
int64_t cd_fetch_retry_after_ms(const char *value, int64_t now_ms);

#endif
