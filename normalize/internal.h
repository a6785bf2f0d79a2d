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

#include "core/util.h"

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

/*
 * A malloc'd copy of s, NFC and case folded with utf8proc ("Straße" ->
 * "strasse", "ÄRZTE" -> "ärzte"), for matching words of any case and any
 * Unicode form. 0, CD_EINVALID (s is not UTF-8), or CD_ENOMEM.
 */
int cd_norm_fold_case(char **out, const char *s);

/* ---- the tables of data/ (normalize/data.c) ---------------------------- */

#define CD_NORM_CAT_SUFFIX 1u  /* also the end of a compound */

/* One line of data/street_abbrev.tsv. */
struct cd_norm_abbrev {
    char *end;     /* the ending as written ("str.") */
    char *full;    /* what replaces it inside a word ("straße"); NULL:
                      only as a word of its own */
    char *word;    /* what replaces it as a word of its own ("Straße") */
    size_t order;  /* line order, to keep it among equal lengths */
};

/* One line of data/categories.tsv. */
struct cd_norm_cat {
    char *word;               /* case folded (cd_norm_fold_case()) */
    struct cd_strlist tags;   /* OSM key=value */
    unsigned flags;           /* CD_NORM_CAT_* */
};

struct cd_norm_tables {
    struct cd_norm_abbrev *abbrev;  /* longest ending first */
    size_t nabbrev;
    struct cd_norm_cat *cat;        /* file order */
    size_t ncat;
    unsigned long long fingerprint; /* hash of both files' lines */
};

/*
 * The loaded tables, borrowed for the life of the process. When nobody
 * loaded them yet, cd_norm_data_init() is tried once; when that fails the
 * tables are empty (nothing expands, nothing maps).
 */
const struct cd_norm_tables *cd_norm_tables_get(void);

#endif
