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

#include "core/error.h"
#include "core/place.h"
#include "core/record.h"

/* Collapse runs of white space (Unicode spaces included) to one space and
 * trim both ends. */
int cd_norm_text(char **out, const char *s);

/*
 * A name: cd_norm_text(), then Unicode NFC (utf8proc), apostrophes after a
 * letter written "'", paired double quotes of any style written as German
 * quotes (U+201E, U+201C) with no space inside, and quotes around the
 * whole name dropped. Letters keep the
 * case the source wrote: nothing is capitalised. CD_EINVALID when empty.
 */
int cd_norm_name(char **out, const char *s);

/*
 * Split "Am Markt 3, 42651 Solingen" (or "Hauptstr. 12a", "42651
 * Solingen") into parts, the street through cd_norm_street() and the
 * number through cd_norm_housenumber(). Any out may be passed as NULL when
 * not wanted, and may come back NULL when the address lacks the part.
 * CD_EINVALID when neither a street nor a postcode can be read.
 */
int cd_norm_address(char **street, char **housenumber, char **postcode,
                    char **city, const char *s);

/* A street name with "str." "Str." "pl." "Pl." written out ("Hauptstr." ->
 * "Hauptstraße"); white space collapsed. */
int cd_norm_street(char **out, const char *s);

/* A house number: "12", "12a", "12 a" -> "12a", "12 - 14" -> "12-14",
 * "5/7". CD_EINVALID for anything else. */
int cd_norm_housenumber(char **out, const char *s);

/* A German postcode: exactly five digits ("D-42651" is read as "42651"),
 * else CD_EINVALID. */
int cd_norm_postcode(char **out, const char *s);

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
 * Whether s is in the subset of OSM opening_hours syntax that
 * cd_norm_hours() writes: "24/7", or rules "Mo-Fr,Su 09:00-12:00,14:00-18:00"
 * and "We off" joined by "; ". 1 or 0.
 */
int cd_norm_hours_valid(const char *s);

/*
 * Split one categories value on "," ";" "|" and append each trimmed word
 * (skipping words already there) to *words, and the OSM tags the built-in
 * map gives for it ("Bäckerei" -> "shop=bakery") to *tags, again without
 * duplicates. Unmapped words add no tag. 0 or CD_ENOMEM.
 */
int cd_norm_categories(struct cd_strlist *words, struct cd_strlist *tags,
                       struct cd_strlist *unmapped, const char *s);

/*
 * Fill a place's data fields from a record: every field normalised, the
 * original kept where the contract has a slot for it (opening_hours_text,
 * source_categories). id, sources and timestamps are left to the caller.
 * A value that cannot be normalised is left out (or kept as text where the
 * export has a text slot); never an error. `out` was set up with
 * cd_place_init(); fields set here replace what it held, the category
 * lists are appended to. 0 or CD_ENOMEM.
 */
int cd_normalize_place(struct cd_place *out, const struct cd_record *rec);

/* What normalising a record could not read, for the crawl report. */
struct cd_norm_notes {
    int hours_unreadable;          /* opening hours given, not readable */
    struct cd_strlist unmapped;    /* category words data/ does not map */
};

/*
 * cd_normalize_place(), also telling what could not be read: notes (MAY be
 * NULL) is added to; empty it with cd_strlist_dispose(&notes->unmapped).
 */
int cd_normalize_place_notes(struct cd_place *out, struct cd_norm_notes *notes,
                             const struct cd_record *rec);

/* ---- the tables of data/ (normalize/data.c) ---------------------------- */

/* The environment variable that names the folder of the tables. */
#define CD_DATA_ENV "CITYDIR_DATA"

/*
 * Load data/street_abbrev.tsv and data/categories.tsv from `dir`,
 * replacing what was loaded. 0, CD_EIO (a file cannot be read),
 * CD_EINVALID (a bad line: err names file:line), CD_ENOMEM.
 */
int cd_norm_data_load(const char *dir, struct cd_error *err);

/*
 * Find the tables and load them: $CITYDIR_DATA, else the binary's
 * <prefix>/share/citydir/data, a data/ beside the binary or its parent,
 * ./data. Called once at start by the commands that normalise.
 * CD_ENOTFOUND (err says where it looked), or cd_norm_data_load()'s errors.
 */
int cd_norm_data_init(struct cd_error *err);

/* The folder the tables were loaded from (borrowed), NULL when none. */
const char *cd_norm_data_dir(void);

/*
 * What normalising depends on besides a record, as one string: citydir's
 * version and a hash of the data tables loaded. When it changes, records
 * that came back unchanged must be normalised again. Borrowed; valid
 * until the next call.
 */
const char *cd_norm_fingerprint(void);

/* Forget the loaded tables (for tests and leak checkers). */
void cd_norm_data_free(void);

#endif
