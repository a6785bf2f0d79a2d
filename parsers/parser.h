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
};

struct cd_emit {
    enum cd_emit_kind kind;
    const struct cd_record *record;  /* borrowed for the call */
    const char *link;                /* borrowed for the call */
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

struct cd_parser {
    const char *name;              /* used in definitions */
    const char *summary;           /* one line for `citydir parsers` */
    unsigned flags;                /* CD_PARSER_* */
    const char *selectors;         /* selector kinds it takes ("css xpath") */
    cd_parser_check_fn *check;     /* MAY be NULL: no extra checks */
    cd_parser_parse_fn *parse;     /* MUST be set */
};

/* The parser called `name`, or NULL. */
const struct cd_parser *cd_parser_find(const char *name);

/* Every parser, in registry order; *n is set to the count. */
const struct cd_parser *const *cd_parser_list(size_t *n);

#endif
