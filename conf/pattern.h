/* SPDX-License-Identifier: MIT */
/*
 * Patterns: the compiled PCRE2 regular expressions of `allow` and `deny` in
 * the [crawl] section of a definition. A pattern is compiled once, when the
 * definition is loaded, so a bad one is an error of `citydir check`, and is
 * then matched (unanchored, like grep) against absolute URLs. Write `^` to
 * anchor at the start. Matching allocates its own match data, so one pattern
 * may be used by several threads at once.
 */
#ifndef CD_PATTERN_H
#define CD_PATTERN_H

#include <stddef.h>

#include "core/error.h"

struct cd_pattern;

/*
 * Compile `text` into *out. On a bad pattern, err says what is wrong and at
 * which offset, without a file location (the caller adds it):
 * "missing closing parenthesis at offset 7". 0, CD_EINVALID or CD_ENOMEM.
 * Free the result with cd_pattern_free().
 */
int cd_pattern_compile(struct cd_pattern **out, const char *text,
                       struct cd_error *err);

/* NULL is accepted. */
void cd_pattern_free(struct cd_pattern *p);

/* The pattern as written. Borrowed from p. */
const char *cd_pattern_text(const struct cd_pattern *p);

/*
 * Whether the n bytes at s contain a match: 1 when they do, 0 when not,
 * CD_ENOMEM or CD_ERROR (a match limit was hit) otherwise.
 */
int cd_pattern_match(const struct cd_pattern *p, const char *s, size_t n);

#endif
