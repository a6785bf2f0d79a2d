/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the normalisers and by nothing else: Unicode white
 * space, a lower-case copy for matching (ASCII and Latin-1 letters, enough
 * for German), and case-insensitive prefix tests. Not part of the module's
 * interface; include it only from the files in normalize/.
 */
#ifndef CD_NORMALIZE_INTERNAL_H
#define CD_NORMALIZE_INTERNAL_H

#include <stddef.h>

/*
 * Bytes of the white space character that starts at p: ASCII space and
 * control characters, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000. 0 when p starts with anything else (or NUL).
 */
size_t cd_norm_space_len(const char *p);

/*
 * A malloc'd copy of s with ASCII and Latin-1 capitals (U+00C0..U+00DE,
 * "Ä" "Ö" "Ü" "É" ...) made small, for matching against lower-case words.
 * Other bytes are copied unchanged, so lengths and offsets are kept. NULL
 * when memory is out.
 */
char *cd_norm_lower(const char *s);

/* Lower-case one ASCII letter; other bytes unchanged. */
int cd_norm_ascii_lower(int c);

/*
 * Whether s (n bytes, already lower-case) equals one of the NULL-ended
 * words. Returns the index or -1.
 */
int cd_norm_word_index(const char *s, size_t n, const char *const *words);

#endif
