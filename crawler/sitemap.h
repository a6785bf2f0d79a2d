/* SPDX-License-Identifier: MIT */
/*
 * Sitemaps (sitemaps.org protocol 0.9): reading a sitemap or a sitemap
 * index as a stream with libxml2's xmlReader, never as a tree, so a
 * sitemap of 50,000 URLs costs the memory of one entry at a time
 * (crawler/sitemap.c). A gzip-compressed body (.xml.gz, recognised by its
 * magic bytes whatever the Content-Type says) is inflated with zlib as the
 * reader asks for bytes. A plain-text sitemap (one URL a line) is read
 * too. The crawler turns each <url> into a page to fetch and each
 * <sitemap> of an index into another sitemap to read; `lastmod` lets it
 * skip pages that have not changed since they were last fetched.
 */
#ifndef CD_SITEMAP_H
#define CD_SITEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* The most entries one sitemap may hold (the protocol says 50,000). */
#define CD_SITEMAP_MAX_ENTRIES 100000

/* The most bytes an inflated sitemap may have (the protocol says 50 MB
 * uncompressed); guards against gzip bombs. */
#define CD_SITEMAP_MAX_INFLATED (256u * 1024 * 1024)

/* The prefix that marks a sitemap in a definition's `start` and in the
 * frontier ("sitemap:https://example.org/sitemap.xml"). */
#define CD_SITEMAP_PREFIX "sitemap:"

/* One entry. Strings borrowed for the call. */
struct cd_sitemap_entry {
    int is_sitemap;       /* 1: a <sitemap> of an index; 0: a <url> */
    const char *loc;      /* as written, blanks trimmed */
    int64_t lastmod_ms;   /* ms since the epoch; -1 when none or bad */
};

/* Receives entries; non-zero stops reading (CD_EUSER is returned). */
typedef int cd_sitemap_fn(const struct cd_sitemap_entry *e, void *payload);

/*
 * Read a sitemap, a sitemap index or a text sitemap of len bytes (maybe
 * gzip-compressed); `url` names it in messages. Calls cb for each entry
 * with a <loc>, in document order. 0, CD_EINVALID (not well-formed, not
 * gzip that inflates), CD_ETOOBIG (more than CD_SITEMAP_MAX_ENTRIES or
 * CD_SITEMAP_MAX_INFLATED), CD_EUSER, CD_ENOMEM. Entries given before an
 * error have been given: the caller decides what to keep.
 */
int cd_sitemap_parse(const char *body, size_t len, const char *url,
                     cd_sitemap_fn *cb, void *payload, struct cd_error *err);

/*
 * A W3C Datetime as sitemaps use it ("2024-05-01", "2024-05-01T10:20Z",
 * "2024-05-01T10:20:30.5+02:00"; a bare year or year-month too) in ms
 * since the epoch, UTC. 0 or CD_EINVALID.
 */
int cd_sitemap_lastmod(int64_t *out_ms, const char *s);

#endif
