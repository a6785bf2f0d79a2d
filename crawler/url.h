/* SPDX-License-Identifier: MIT */
/*
 * URLs: resolving links against the page they were found on, and bringing
 * them into one form so each URL is fetched once per run. Built on
 * libcurl's URL API (curl_url).
 */
#ifndef CD_URL_H
#define CD_URL_H

#include "core/error.h"

/*
 * Resolve `link` against `base` and normalise the result: scheme and host
 * lower-cased, default port dropped, fragment dropped, empty path made "/".
 * Only http and https are accepted: anything else (mailto:, javascript:,
 * ftp:) gives CD_EDECLINED. A malformed URL gives CD_EINVALID. The query
 * is kept as written; spaces are %20-encoded; white space around `link` is
 * ignored; an empty or fragment-only link names the base. `base` MAY be
 * NULL: `link` must then be absolute. The caller frees *out; err (MAY be
 * NULL) says what was wrong with which URL.
 */
int cd_url_resolve(char **out, const char *base, const char *link,
                   struct cd_error *err);

/* The host (lower-case, with ":port" when not the default) of an absolute
 * URL. The caller frees *out. */
int cd_url_host(char **out, const char *url);

#endif
