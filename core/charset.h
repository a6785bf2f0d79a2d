/* SPDX-License-Identifier: MIT */
/*
 * Character sets: turning the bytes of a fetched document into UTF-8.
 *
 * Labels follow the WHATWG Encoding standard where it matters on the web:
 * ISO-8859-1, latin1 and US-ASCII mean Windows-1252 (decoded here, without
 * iconv), ISO-8859-9 means Windows-1254, every spelling of UTF-8 is UTF-8.
 * Other labels go to iconv. Bytes that are not valid in the declared
 * charset become U+FFFD, so the output is always valid UTF-8. For HTML the
 * charset is chosen in this order: a byte order mark, the HTTP header, a
 * <meta> in the first 1024 bytes, and UTF-8.
 */
#ifndef CD_CHARSET_H
#define CD_CHARSET_H

#include <stddef.h>

#include "core/error.h"

/* Bytes of <head> searched for <meta charset>, as in the WHATWG prescan. */
#define CD_CHARSET_SNIFF_LEN 1024

/* Longest charset label kept, with the NUL. */
#define CD_CHARSET_NAME_MAX 64

/*
 * Convert `len` bytes at `in`, written in `charset`, to UTF-8. A NULL or
 * empty charset means UTF-8: valid input is copied and invalid sequences
 * become U+FFFD. *out is NUL-terminated, *outlen is its length without the
 * NUL; the caller frees *out. Returns 0, CD_EINVALID for a charset that is
 * unknown (err says which; *out is then NULL), CD_ETOOBIG past 4 times
 * CD_MAX_BODY of output, CD_ENOMEM.
 */
int cd_charset_to_utf8(char **out, size_t *outlen, const char *in,
                       size_t len, const char *charset,
                       struct cd_error *err);

/*
 * Look for a charset declared by <meta charset="..."> or
 * <meta http-equiv="Content-Type" content="...; charset=..."> in the first
 * CD_CHARSET_SNIFF_LEN bytes of an HTML document. A declared UTF-16 is
 * reported as "utf-8", as browsers do. Writes the label, NUL-terminated,
 * into out (outsz bytes). Returns 1 when found, 0 when not.
 */
int cd_charset_sniff_html(char *out, size_t outsz, const char *in,
                          size_t len);

/*
 * When `*in` starts with a UTF-8 byte order mark, move *in past it and
 * shorten *len. Returns 1 when a mark was removed, else 0.
 */
int cd_charset_strip_bom(const char **in, size_t *len);

/*
 * Convert an HTML document to UTF-8, choosing the charset as browsers do:
 * a byte order mark (UTF-8 or UTF-16), else `header` (the charset of the
 * HTTP Content-Type; MAY be NULL), else a <meta> declaration, else UTF-8.
 * A label that is unknown is skipped in favour of the next source. *out as
 * for cd_charset_to_utf8(); 0, CD_ETOOBIG or CD_ENOMEM.
 */
int cd_charset_html_to_utf8(char **out, size_t *outlen, const char *in,
                            size_t len, const char *header,
                            struct cd_error *err);

#endif
