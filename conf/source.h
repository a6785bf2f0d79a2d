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
#define CD_DEFAULT_REMOVE_AFTER 2     /* runs in a row without a record */
#define CD_DEFAULT_MIN_RATIO    0.5   /* of the last good run's records */

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
    char *encoding;                  /* charset of the documents, for csv
                                        and json; NULL: header or sniffed */
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
    unsigned long remove_after;      /* successful runs in a row without a
                                        record before its place goes */
    double min_ratio;                /* a run with fewer records than this
                                        share of the last good run's is
                                        suspect (crawler/guard.h) */
    unsigned long max_duration;      /* seconds a run may crawl per
                                        `citydir crawl`; 0: no limit. Past
                                        it the run pauses and resumes with
                                        the next crawl (crawler/crawl.c) */
    int robots_sitemaps;             /* also crawl the Sitemap: lines of
                                        the start hosts' robots.txt */

    /* [extract] */
    struct cd_selector *item;        /* each match is a record; MAY be NULL */
    struct cd_selector *extract[CD_F__COUNT];  /* NULL where not given */
    unsigned extract_line[CD_F__COUNT];        /* line of each, for errors */

    /* open data (docs/sources.md): coordinates, Overpass, catalogues */
    char *crs;                       /* CRS of lat/lon; NULL: WGS 84 */
    int has_bbox;                    /* bbox is set */
    double bbox[4];                  /* minlon, minlat, maxlon, maxlat */
    char *overpass;                  /* Overpass QL sent to the start URL */
    struct cd_strlist ns;            /* [namespaces]: prefix, URI, ... */
    char *cat_query;                 /* [catalog] query: CKAN q */
    struct cd_strlist cat_tags;      /* tags: each must be present */
    struct cd_strlist cat_groups;    /* groups: each must be present */
    char *cat_organization;          /* organization */
    struct cd_strlist cat_formats;   /* format: any of these */
    unsigned long cat_rows;          /* rows per CKAN page */

    /* [extract.PARSER]: how documents a catalogue links to are read; each
     * a definition of its own, with this one's [source] values */
    struct cd_source **subs;
    size_t nsubs;
};

/* Rows per page of a CKAN package_search, unless [catalog] rows says. */
#define CD_DEFAULT_CATALOG_ROWS 100

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

/*
 * Add to each start URL the query its keys ask for (conf/query.c): for
 * `overpass`, data=QUERY; for parser ckan, the package_search parameters
 * of [catalog] (q, fq, rows, start). Parameters the URL already has are
 * left alone. Called by the loader. 0, CD_EINVALID (err says why, without
 * file and line), CD_ENOMEM.
 */
int cd_source_start_query(struct cd_source *src, struct cd_error *err);

/*
 * The definition of the section [extract.PARSER] of src, that reads the
 * documents a catalogue links to with parser `parser`; NULL when src has
 * no such section. Borrowed from src.
 */
const struct cd_source *cd_source_sub(const struct cd_source *src,
                                      const char *parser);

/* Whether `url` may be followed: it matches an allow pattern (or there are
 * none) and no deny pattern. */
int cd_source_url_allowed(const struct cd_source *s, const char *url);

#endif
