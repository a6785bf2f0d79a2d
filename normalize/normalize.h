/* SPDX-License-Identifier: MIT */
/*
 * Normalisation: pure functions that turn values as sources write them into
 * one form. One file per kind of value (text, address, phone, url, hours,
 * category, geo, bool); normalize/place.c applies them all to a record.
 *
 * Each function returns 0 and a malloc'd normal form in *out, CD_EINVALID
 * when the value cannot be read (nothing is guessed), or CD_ENOMEM.
 */
#ifndef CD_NORMALIZE_H
#define CD_NORMALIZE_H

#include "core/place.h"
#include "core/record.h"

/* Collapse runs of white space (Unicode spaces included) to one space and
 * trim both ends. */
int cd_norm_text(char **out, const char *s);

/* Split "Am Markt 3, 42651 Solingen" (or "Hauptstr. 12a") into parts; any
 * out may come back NULL. */
int cd_norm_address(char **street, char **housenumber, char **postcode,
                    char **city, const char *s);

/* A decimal coordinate ("51.17", "51,17"); CD_EINVALID when out of range
 * for its kind (is_lat: -90..90, else -180..180). */
int cd_norm_coord(double *out, const char *s, int is_lat);

/* "ja", "yes", "true", "1", "x" -> CD_TRI_YES; "nein", "no", ... -> NO. */
int cd_norm_bool(int *out, const char *s);

/* A wheelchair value to "yes", "limited" or "no". */
int cd_norm_wheelchair(char **out, const char *s);

/* A German phone number to "+49 212 123456". */
int cd_norm_phone(char **out, const char *s);

/* An e-mail address: "mailto:" dropped, domain lower-cased. */
int cd_norm_email(char **out, const char *s);

/* A web address: scheme added, host lower-cased. */
int cd_norm_website(char **out, const char *s);

/* Opening hours as OSM opening_hours syntax, CD_EINVALID if unreadable. */
int cd_norm_hours(char **out, const char *s);

/*
 * Fill a place's data fields from a record: every field normalised, the
 * original kept where the contract has a slot for it (opening_hours_text,
 * source_categories). id, sources and timestamps are left to the caller.
 * A value that cannot be normalised is left out (or kept as text where the
 * export has a text slot); never an error. 0 or CD_ENOMEM.
 */
int cd_normalize_place(struct cd_place *out, const struct cd_record *rec);

#endif
