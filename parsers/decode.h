/* SPDX-License-Identifier: MIT */
/*
 * Turning the bytes of a data document (CSV, JSON, GeoJSON) into UTF-8
 * text, for the parsers of such documents (parsers/decode.c).
 *
 * The charset is chosen in this order: a byte order mark (UTF-8, UTF-16);
 * the definition's `encoding` key; the charset of the HTTP header, unless
 * it says UTF-8 and the bytes are not; UTF-8 when the bytes are valid
 * UTF-8; else Windows-1252 (which ISO-8859-1 files read correctly too, as
 * Windows-1252 is a superset of its printable characters). Conversion is
 * core/charset.h's (its own Windows-1252 table, iconv for the rest).
 */
#ifndef CD_PARSERS_DECODE_H
#define CD_PARSERS_DECODE_H

#include <stddef.h>

#include "core/error.h"
#include "parsers/parser.h"

struct cd_source;

/*
 * The document's text as UTF-8, without a byte order mark, NUL-terminated,
 * owned by doc->arena (freed with it). *charset is set to the label
 * used (static or borrowed from src/doc). 0, CD_EINVALID for an unknown
 * `encoding` (err names it and the document), CD_ETOOBIG, CD_ENOMEM.
 */
int cd_decode_text(char **out, size_t *outlen, const char **charset,
                   const struct cd_doc *doc, const struct cd_source *src,
                   struct cd_error *err);

/*
 * Check the definition's `encoding`, when given: a charset that cannot be
 * converted is reported as "file: unknown encoding 'x'". 0 or
 * CD_EINVALID.
 */
int cd_decode_check(const struct cd_source *src,
                    void (*report)(const char *msg, void *payload),
                    void *payload);

/* Whether n bytes at s are valid UTF-8 (no overlongs, no surrogates). */
int cd_decode_is_utf8(const char *s, size_t n);

/* The document's URL or path for messages; never NULL. */
const char *cd_doc_where(const struct cd_doc *doc);

#endif
