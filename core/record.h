/* SPDX-License-Identifier: MIT */
/*
 * A record: what one source says about one place, as the source wrote it.
 *
 * Parsers fill records through cd_record_add() and emit them; the store keeps
 * them as JSON. Every field holds a list of strings: most fields use only
 * the first, `categories` uses all. The field names are those of the export
 * and of the [extract] section of a definition.
 */
#ifndef CD_RECORD_H
#define CD_RECORD_H

#include <stddef.h>

#include "core/util.h"

enum cd_field {
    CD_F_NAME,
    CD_F_STREET,
    CD_F_HOUSENUMBER,
    CD_F_POSTCODE,
    CD_F_CITY,
    CD_F_LAT,
    CD_F_LON,
    CD_F_PHONE,
    CD_F_EMAIL,
    CD_F_WEBSITE,
    CD_F_OPENING_HOURS,
    CD_F_CATEGORIES,
    CD_F_DELIVERY,
    CD_F_PICKUP,
    CD_F_ONLINE_SHOP,
    CD_F_WHEELCHAIR,
    CD_F_DESCRIPTION,
    CD_F_ADDRESS,  /* a whole address in one string, split on normalising */
    CD_F_REF,      /* the source's own key for the record */
    CD_F_LICENSE,  /* the licence of this record's data, when it is not
                      the source's (a dataset of a catalogue) */
    CD_F_CRS,      /* the coordinate system of lat/lon ("EPSG:25832");
                      none: WGS 84. Consumed before staging (parsers/emit.c) */
    CD_F__COUNT
};

struct cd_record {
    char *url;                               /* where it was found; owned */
    struct cd_strlist fields[CD_F__COUNT];   /* values as the source wrote */
};

/* The field's name ("opening_hours"), or NULL when f is out of range. */
const char *cd_field_name(enum cd_field f);

/* The field called `name`: 0 and *out set, or CD_ENOTFOUND. */
int cd_field_lookup(enum cd_field *out, const char *name);

/* Fields that keep every value; the others keep the first. */
int cd_field_is_list(enum cd_field f);

/* An empty record for `url` (copied; may be NULL). 0 or CD_ENOMEM. */
int cd_record_init(struct cd_record *r, const char *url);

/* Free what the record holds; it is empty afterwards. */
void cd_record_dispose(struct cd_record *r);

/*
 * Add a value (n bytes, copied). For a field that is not a list, a second
 * value is ignored. Empty values are ignored. 0 or CD_ENOMEM.
 */
int cd_record_add(struct cd_record *r, enum cd_field f, const char *v,
                  size_t n);

/* The first value of a field, or NULL. Borrowed from the record. */
const char *cd_record_get(const struct cd_record *r, enum cd_field f);

/* Whether the record holds no value at all. */
int cd_record_is_empty(const struct cd_record *r);

/*
 * The record as a compact JSON object {"field": "v" | ["v", ...]}, fields
 * in enum order, for storage and `citydir try`. The caller frees *out.
 * 0 or CD_ENOMEM.
 */
int cd_record_to_json(char **out, const struct cd_record *r);

/*
 * The key the store keeps the record under, stable across runs: the
 * source's `ref` when it has one; else the URL, followed by "#" and the name
 * when the page holds many records (per_item). The caller frees *out.
 */
int cd_record_key(char **out, const struct cd_record *r, int per_item);

/* Read a record back from cd_record_to_json()'s form. 0, CD_EINVALID. */
int cd_record_from_json(struct cd_record *r, const char *json,
                        const char *url);

#endif
