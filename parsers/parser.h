/* SPDX-License-Identifier: MIT */
/*
 * The parser interface and the registry (parsers/registry.c).
 *
 * A parser turns one fetched document into records and links. It never
 * touches SQLite or the network: it emits what it finds through a callback
 * and returns. Metadata (name, summary, flags, accepted keys) stays apart
 * from the function pointers, so `citydir parsers` and `citydir check` never
 * parse anything (after curl's Curl_scheme/Curl_protocol split).
 */
#ifndef CD_PARSER_H
#define CD_PARSER_H

#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/record.h"

struct cd_source;

/* One fetched (or read) document. */
struct cd_doc {
    const char *url;           /* final URL after redirects, or a file path */
    const char *content_type;  /* media type without parameters; MAY be NULL */
    const char *charset;       /* from the HTTP header; MAY be NULL */
    const char *body;          /* the bytes as received */
    size_t len;
    struct cd_arena *arena;    /* for the parser's temporary allocations */
};

enum cd_emit_kind {
    CD_EMIT_RECORD,  /* `record` is set */
    CD_EMIT_LINK,    /* `link` is set: a URL as found, maybe relative */
    CD_EMIT_WARNING, /* `message` is set: a part of the document that was
                        skipped (says what and where); parsing went on */
    CD_EMIT_DROPPED, /* `record` is set: an item that was found but not
                        kept (no name); counted by the sanity guard
                        (crawler/guard.h), never stored. Receivers that
                        do not count items ignore it */
};

struct cd_emit {
    enum cd_emit_kind kind;
    const struct cd_record *record;  /* borrowed for the call */
    const char *link;                /* borrowed for the call */
    const char *message;             /* borrowed for the call */
    const char *parser;              /* links: read the target with this
                                        parser and the definition's
                                        [extract.PARSER]; NULL: the
                                        source's own parser */
    const char *license;             /* links: the licence of what the
                                        target holds (a catalogue's
                                        dataset); NULL: the source's */
};

/* Receives what a parser finds. Non-zero stops the parser, which then
 * returns CD_EUSER. */
typedef int cd_emit_fn(const struct cd_emit *e, void *payload);

/* Extra checks of a definition at load time. Report each problem with
 * file:line through `report`; return CD_EINVALID when any. */
typedef int cd_parser_check_fn(const struct cd_source *src,
                               void (*report)(const char *msg, void *payload),
                               void *payload);

/* Parse a document. MUST NOT keep pointers into doc after returning.
 * 0, CD_EINVALID (err says what and where), CD_EUSER, CD_ENOMEM. */
typedef int cd_parser_parse_fn(const struct cd_doc *doc,
                               const struct cd_source *src, cd_emit_fn *emit,
                               void *payload, struct cd_error *err);

#define CD_PARSER_NEEDS_EXTRACT (1u << 0)  /* [extract] name is required */
#define CD_PARSER_FOLLOWS       (1u << 1)  /* `follow` selectors apply */
#define CD_PARSER_MANY          (1u << 2)  /* a document holds many records,
                                              even without `item`: key each
                                              by ref, else URL and name */

struct cd_parser {
    const char *name;              /* used in definitions */
    const char *summary;           /* one line for `citydir parsers` */
    unsigned flags;                /* CD_PARSER_* */
    const char *selectors;         /* selector kinds it takes ("css xpath") */
    cd_parser_check_fn *check;     /* MAY be NULL: no extra checks */
    cd_parser_parse_fn *parse;     /* MUST be set */
};

/* What cd_parse() counted. */
struct cd_parse_stats {
    long outside_bbox;   /* records dropped: outside the source's bbox */
    long bad_coords;     /* records whose coordinates were dropped: an
                            unknown CRS, or a point PROJ cannot transform */
};

/*
 * Run src's parser on doc (parsers/emit.c), as the crawler and `citydir
 * try` do: each record is completed before `emit` sees it. Coordinates in
 * another CRS (the record's `crs`, else the source's) become WGS 84, and
 * `crs` is removed; a record outside the source's bbox is dropped (and
 * counted in *stats, which MAY be NULL); a record without a licence gets
 * `license` (MAY be NULL: none). Links and other emits pass unchanged.
 * Returns what the parser returns.
 */
int cd_parse(const struct cd_doc *doc, const struct cd_source *src,
             const char *license, cd_emit_fn *emit, void *payload,
             struct cd_parse_stats *stats, struct cd_error *err);

/* The parser called `name`, or NULL. */
const struct cd_parser *cd_parser_find(const char *name);

/* Every parser, in registry order; *n is set to the count. */
const struct cd_parser *const *cd_parser_list(size_t *n);

#endif
