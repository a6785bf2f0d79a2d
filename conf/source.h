/* SPDX-License-Identifier: MIT */
/*
 * A source definition: one INI file that tells citydir where a source lives
 * and how to read it (docs/sources.md). Loaded and checked by conf/load.c,
 * driven by the key table of conf/keys.c.
 */
#ifndef CD_SOURCE_H
#define CD_SOURCE_H

#include <stddef.h>

#include "core/error.h"
#include "core/record.h"
#include "core/util.h"

struct cd_parser;
struct cd_selector;
struct cd_pattern;  /* a compiled allow/deny regex, see conf/pattern.h */

/* Defaults for [crawl]. */
#define CD_DEFAULT_DELAY_MS     1000
#define CD_DEFAULT_CONCURRENCY  1
#define CD_DEFAULT_MAX_PAGES    100000
#define CD_DEFAULT_TIMEOUT_MS   30000
#define CD_DEFAULT_CONNECT_MS   10000
#define CD_DEFAULT_RETRIES      3
#define CD_DEFAULT_MAX_REDIRECTS 5
#define CD_DEFAULT_PRIORITY     50

/* The longest line of a definition file, without its line break. A longer
 * line is an error naming file and line. */
#define CD_CONF_MAX_LINE        65536

struct cd_source {
    char *path;                      /* definition file, as given */

    /* [source] */
    char *id;                        /* unique, stable key of everything */
    unsigned id_line;                /* line of `id`, for duplicate errors */
    char *title;
    char *city;
    char *parser_name;               /* as written */
    const struct cd_parser *parser;  /* resolved from the registry */
    unsigned parser_line;            /* line of `parser`, for errors */
    struct cd_strlist start;         /* start URLs or files, always fetched */
    char *license;
    char *attribution;
    char *url;                       /* a home page for the export */
    unsigned long priority;          /* who wins when sources disagree */

    /* [crawl] */
    struct cd_selector **follow;     /* link selectors, run on every page */
    size_t nfollow;
    struct cd_pattern **allow;       /* a followed URL must match one */
    size_t nallow;
    struct cd_pattern **deny;        /* ... and none of these */
    size_t ndeny;
    unsigned long delay_ms;          /* per host, between requests */
    unsigned long concurrency;       /* per host, requests at once */
    unsigned long max_pages;         /* per run */
    unsigned long timeout_ms;        /* total time of one request */
    unsigned long connect_timeout_ms;
    unsigned long retries;           /* on timeouts, resets and 5xx */
    unsigned long max_redirects;

    /* [extract] */
    struct cd_selector *item;        /* each match is a record; MAY be NULL */
    struct cd_selector *extract[CD_F__COUNT];  /* NULL where not given */
    unsigned extract_line[CD_F__COUNT];        /* line of each, for errors */
};

/* A set of loaded definitions. */
struct cd_sources {
    struct cd_source **v;
    size_t n;
};

/*
 * Load every definition in `paths` (files, or folders searched for *.ini,
 * recursively, in name order). Every error is reported through `report`
 * as "file:line: message"; loading goes on after an error, so that `check`
 * lists them all. Returns 0 when all loaded, CD_EINVALID when any error was
 * reported (out then holds what did load), CD_ENOMEM.
 */
typedef void cd_report_fn(const char *msg, void *payload);
int cd_sources_load(struct cd_sources *out, char *const *paths, size_t npaths,
                    cd_report_fn *report, void *payload);

/* Free every definition; NULL-safe. */
void cd_sources_dispose(struct cd_sources *s);

/* Load one file into *out. Errors as for cd_sources_load. */
int cd_source_load(struct cd_source **out, const char *path,
                   cd_report_fn *report, void *payload);

void cd_source_free(struct cd_source *s);

/*
 * An empty definition for the file `path` (copied; may be NULL) with the
 * defaults of CD_DEFAULT_* applied, as the loader starts from. 0 or
 * CD_ENOMEM. Free it with cd_source_free().
 */
int cd_source_new(struct cd_source **out, const char *path);

/* The source with this id, or NULL. Borrowed. */
struct cd_source *cd_sources_find(const struct cd_sources *s, const char *id);

/* Whether `url` may be followed: it matches an allow pattern (or there are
 * none) and no deny pattern. */
int cd_source_url_allowed(const struct cd_source *s, const char *url);

#endif
