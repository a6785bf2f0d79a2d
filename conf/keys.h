/* SPDX-License-Identifier: MIT */
/*
 * The key table of source definitions (after nginx's ngx_command_t and
 * wget2's options[]). Each key of each section is one row that names the
 * setter that parses its value and the offset of the field it fills in
 * struct cd_source. The same table drives INI loading (conf/load.c), the
 * errors of `citydir check`, the "did you mean" suggestions, and the
 * reference in docs/sources.md. Rows are sorted by section, then by key;
 * a unit test keeps them so.
 */
#ifndef CD_KEYS_H
#define CD_KEYS_H

#include <stddef.h>

#include "conf/source.h"
#include "core/error.h"

enum cd_conf_section {
    CD_SEC_SOURCE,   /* [source]: who the source is, where it starts */
    CD_SEC_CRAWL,    /* [crawl]: what to follow, politeness */
    CD_SEC_EXTRACT,  /* [extract]: a selector per field */
    CD_SEC_CATALOG,  /* [catalog]: which datasets of a catalogue */
    CD_SEC__COUNT
};

#define CD_CONF_LIST  (1u << 0)  /* may be repeated; each value appends */

struct cd_conf_key;

/*
 * A setter: parse `value` (never NULL, never empty) for key k and store it
 * in src at k->offset. `line` is the line of the key in its file. On a bad
 * value, returns CD_EINVALID with err saying what is wrong, without file
 * and line (the loader adds them); CD_ENOMEM when memory is out. A setter
 * never leaves src half-changed.
 */
typedef int cd_conf_set_fn(struct cd_source *src,
                           const struct cd_conf_key *k, const char *value,
                           unsigned line, struct cd_error *err);

struct cd_conf_key {
    const char *name;              /* as written in the definition */
    enum cd_conf_section section;  /* where it belongs */
    cd_conf_set_fn *set;           /* parses and stores the value */
    size_t offset;                 /* offsetof the field in cd_source */
    const char *help;              /* one line for docs and --help */
    size_t count_offset;           /* list setters: offsetof the count */
    unsigned long min, max;        /* cd_conf_set_uint: allowed range */
    const char *def;               /* default as text; NULL: none */
    unsigned flags;                /* CD_CONF_* */
};

/* Setters, one per kind of value. */

/* A string (char *). */
int cd_conf_set_str(struct cd_source *src, const struct cd_conf_key *k,
                    const char *value, unsigned line, struct cd_error *err);
/* The id: a string matching ^[a-z0-9][a-z0-9._-]*$ (also sets id_line). */
int cd_conf_set_id(struct cd_source *src, const struct cd_conf_key *k,
                   const char *value, unsigned line, struct cd_error *err);
/* An http:// or https:// URL (char *). */
int cd_conf_set_url(struct cd_source *src, const struct cd_conf_key *k,
                    const char *value, unsigned line, struct cd_error *err);
/* Appends an http:// or https:// URL to a struct cd_strlist; also
 * "sitemap:" followed by one (a sitemap or sitemap index to crawl). */
int cd_conf_set_url_list(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err);
/* An unsigned decimal number within [k->min, k->max] (unsigned long). */
int cd_conf_set_uint(struct cd_source *src, const struct cd_conf_key *k,
                     const char *value, unsigned line, struct cd_error *err);
/* A decimal number from 0 to 1, such as 0.5 (double). */
int cd_conf_set_ratio(struct cd_source *src, const struct cd_conf_key *k,
                      const char *value, unsigned line, struct cd_error *err);
/* A parser name from the registry (parser_name and parser). */
int cd_conf_set_parser(struct cd_source *src, const struct cd_conf_key *k,
                       const char *value, unsigned line,
                       struct cd_error *err);
/* A selector (struct cd_selector *), compiled. */
int cd_conf_set_selector(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err);
/* The selector of an [extract] field named k->name (extract[] and
 * extract_line[]). */
int cd_conf_set_field(struct cd_source *src, const struct cd_conf_key *k,
                      const char *value, unsigned line,
                      struct cd_error *err);
/* Appends a selector to an array (struct cd_selector **) whose count
 * (size_t) is at k->count_offset. */
int cd_conf_set_selector_list(struct cd_source *src,
                              const struct cd_conf_key *k, const char *value,
                              unsigned line, struct cd_error *err);
/* Appends a compiled pattern to an array (struct cd_pattern **) whose
 * count (size_t) is at k->count_offset. */
int cd_conf_set_pattern_list(struct cd_source *src,
                             const struct cd_conf_key *k, const char *value,
                             unsigned line, struct cd_error *err);

/* A duration in seconds (unsigned long): a whole number with an optional
 * unit, s, m or h ("90", "90s", "45m", "2h"); at most 7 days. */
int cd_conf_set_duration(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err);
/* A yes/no value (int 1 or 0): yes, no, true, false, on, off, 1, 0. */
int cd_conf_set_bool(struct cd_source *src, const struct cd_conf_key *k,
                     const char *value, unsigned line, struct cd_error *err);

/* Appends a string to a struct cd_strlist; a value with commas adds
 * each comma-separated part (trimmed). */
int cd_conf_set_str_list(struct cd_source *src, const struct cd_conf_key *k,
                         const char *value, unsigned line,
                         struct cd_error *err);
/* A CRS name PROJ can transform to WGS 84 (char *; normalize/crs.h). */
int cd_conf_set_crs(struct cd_source *src, const struct cd_conf_key *k,
                    const char *value, unsigned line, struct cd_error *err);
/* "minlon,minlat,maxlon,maxlat" in WGS 84 degrees (bbox, has_bbox). */
int cd_conf_set_bbox(struct cd_source *src, const struct cd_conf_key *k,
                     const char *value, unsigned line, struct cd_error *err);

/* Every key, sorted by section then name; *n is set to the count. The
 * table is static. */
const struct cd_conf_key *cd_conf_keys_list(size_t *n);

/* The key `name` of `section`, or NULL. Borrowed from the static table. */
const struct cd_conf_key *cd_conf_key_find(enum cd_conf_section section,
                                           const char *name);

/*
 * The closest key to a misspelt `name`, by edit distance, first in
 * `section` and then in the others; NULL when none is close enough to be a
 * plausible typo. Borrowed from the static table.
 */
const struct cd_conf_key *cd_conf_key_suggest(enum cd_conf_section section,
                                              const char *name);

/* The section's name without brackets ("crawl"), or NULL when out of
 * range. */
const char *cd_conf_section_name(enum cd_conf_section s);

/* The section called `name` (without brackets): 0 and *out, or
 * CD_ENOTFOUND. */
int cd_conf_section_lookup(enum cd_conf_section *out, const char *name);

/* Edit distance (optimal string alignment: a swap of two neighbours counts
 * one) between a and b, or a large number when either is longer than 64. */
size_t cd_conf_distance(const char *a, const char *b);

#endif
