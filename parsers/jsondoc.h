/* SPDX-License-Identifier: MIT */
/*
 * What the parsers of JSON documents (json, geojson) share
 * (parsers/jsondoc.c): loading a document with jansson, filling a record
 * from [extract] selectors relative to a JSON value, emitting it, and the
 * load-time check of json: paths.
 *
 * Limits: the document is at most CD_MAX_BODY bytes (the fetcher's
 * ceiling), jansson refuses nesting deeper than its JSON_PARSER_MAX_DEPTH
 * (2048), and every value is cut at CD_MAX_FIELD bytes.
 */
#ifndef CD_PARSERS_JSONDOC_H
#define CD_PARSERS_JSONDOC_H

#include <jansson.h>

#include "core/error.h"
#include "core/record.h"
#include "parsers/parser.h"

struct cd_source;

/*
 * Decode (parsers/decode.h) and parse the document. *out belongs to
 * doc->arena (released with it). 0; CD_EINVALID with "URL:line:column:
 * what" for bad JSON; CD_ENOMEM.
 */
int cd_jsondoc_load(json_t **out, const struct cd_doc *doc,
                    const struct cd_source *src, struct cd_error *err);

/*
 * Run every [extract] selector of src (json: on ctx, const: as is) into
 * rec, except the fields whose bit (1u << field) is set in `skip`.
 * 0, CD_EINVALID, CD_ENOMEM (err says where).
 */
int cd_jsondoc_fill(struct cd_record *rec, const struct cd_source *src,
                    json_t *ctx, unsigned long skip,
                    const struct cd_doc *doc, struct cd_error *err);

/*
 * Emit rec: as a record when it has a name, else as CD_EMIT_DROPPED (for
 * the sanity guard). 0, or CD_EUSER when emit said stop.
 */
int cd_jsondoc_emit(const struct cd_record *rec, cd_emit_fn *emit,
                    void *payload);

/* Emit a warning "msg". 0 or CD_EUSER. */
int cd_jsondoc_warn(const char *msg, cd_emit_fn *emit, void *payload);

/*
 * The json: paths of src (item, [extract], follow) must parse; `item`,
 * when given, must be json:. Each problem goes to report as
 * "file:line: message". 0 or CD_EINVALID.
 */
int cd_jsondoc_check(const struct cd_source *src, const char *parser,
                     void (*report)(const char *msg, void *payload),
                     void *payload);

#endif
