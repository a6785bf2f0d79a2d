/* SPDX-License-Identifier: MIT */
/*
 * Matching: whether two normalised places (each made from one record, or
 * merged from several) describe the same shop. Pure functions, used by the
 * store when it merges records into places (store/merge.c) and measured on
 * a labelled set of pairs (tests/fixtures/matching/, tests/unit/test_match.c).
 *
 * The score adds evidence, in the manner of log-odds: the name (token by
 * token, typos and word order forgiven, "GmbH" and the like ignored), the
 * location (street and house number; the distance when both have
 * coordinates; the postcode when nothing finer is known), the phone and the
 * web site or e-mail. Two places are the same shop when the score reaches
 * CD_MATCH_THRESHOLD. docs/design.md explains the weights.
 */
#ifndef CD_MATCH_H
#define CD_MATCH_H

#include "core/place.h"
#include "core/util.h"

/* The score from which two places are one shop. */
#define CD_MATCH_THRESHOLD 3.5

/* The parts of a score, for `citydir explain` and the tests. */
struct cd_match_detail {
    double name_sim;    /* 0..1, -1 when a name is missing */
    double distance_m;  /* -1 when either lacks coordinates */
    double name;        /* evidence from the name */
    double location;    /* from address, distance, postcode */
    double phone;       /* from the phone */
    double web;         /* from the web site and e-mail */
    double total;       /* the sum: the score */
};

/*
 * The score of a and b (both normalised, see cd_normalize_place()); when
 * why is not NULL it receives the parts. Symmetric.
 */
double cd_match_score(const struct cd_place *a, const struct cd_place *b,
                      struct cd_match_detail *why);

/* Whether a and b are one shop: cd_match_score() >= CD_MATCH_THRESHOLD. */
int cd_match_same(const struct cd_place *a, const struct cd_place *b);

/*
 * How alike two names are, 0..1: tokens folded (case, umlauts written
 * "ae", accents and punctuation dropped), legal forms and small words left
 * out, typos forgiven, a name that is all of the other's distinctive words
 * ("Schmitz", "Bäckerei Schmitz") counted as alike.
 */
double cd_match_name_sim(const char *a, const char *b);

/*
 * Fold s for comparing: case folded, "ä" "ö" "ü" written "ae" "oe" "ue",
 * "ß" as "ss", accents dropped, everything that is not a letter or a digit
 * made one space, trimmed. 0, CD_EINVALID (not UTF-8), CD_ENOMEM.
 */
int cd_match_fold(char **out, const char *s);

/*
 * The distinctive tokens of a name (folded; legal forms, small words and
 * category words such as "bäckerei" left out), appended to *out without
 * duplicates: the keys under which the store finds candidate places.
 * 0 or CD_ENOMEM.
 */
int cd_match_name_keys(struct cd_strlist *out, const char *name);

/* The distance in metres between two WGS84 points (haversine). */
double cd_match_distance(double lat1, double lon1, double lat2, double lon2);

#endif
