/* SPDX-License-Identifier: MIT */
/*
 * Yes/no values and wheelchair access.
 *
 * Only clear words are read: "ja", "yes", "true", "1", "x", a check mark,
 * "vorhanden" for yes; "nein", "no", "false", "0", "nicht vorhanden", a
 * cross for no. A sentence such as "Lieferung nach Absprache" is not read.
 * Case, surrounding white space and a closing "." or "!" do not matter.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

static const char *const yes_words[] = {
    "ja", "j", "yes", "y", "true", "wahr", "1", "x", "on",
    "vorhanden", "verf\xc3\xbc" "gbar", "m\xc3\xb6" "glich", "angeboten",
    "\xe2\x9c\x93", "\xe2\x9c\x94", "\xe2\x98\x91", "\xe2\x9c\x85",
    NULL};
static const char *const no_words[] = {
    "nein", "n", "no", "false", "falsch", "0", "off", "kein", "keine",
    "nicht vorhanden", "nicht verf\xc3\xbc" "gbar", "nicht m\xc3\xb6" "glich",
    "\xe2\x9c\x97", "\xe2\x9c\x98", "\xe2\x98\x90", "\xe2\x9d\x8c",
    NULL};

static const char *const wc_yes[] = {
    "yes", "ja", "true", "1", "rollstuhlgerecht", "barrierefrei",
    "rollstuhlgeeignet", "rollstuhlzug\xc3\xa4" "nglich",
    "stufenlos", "voll barrierefrei", "vollst\xc3\xa4" "ndig barrierefrei",
    NULL};
static const char *const wc_limited[] = {
    "limited", "eingeschr\xc3\xa4" "nkt", "teilweise", "bedingt",
    "teilweise barrierefrei", "eingeschr\xc3\xa4" "nkt barrierefrei",
    "bedingt barrierefrei", "teilweise rollstuhlgerecht",
    "eingeschr\xc3\xa4" "nkt rollstuhlgerecht", "bedingt rollstuhlgerecht",
    NULL};
static const char *const wc_no[] = {
    "no", "nein", "false", "0", "nicht barrierefrei",
    "nicht rollstuhlgerecht", "nicht rollstuhlgeeignet", NULL};

/* The lower-case, trimmed form of s with a closing "." or "!" dropped, in
 * *out (malloc'd). 0, CD_EINVALID (empty), CD_ENOMEM. */
static int fold(char **out, const char *s)
{
    char *t = NULL, *l;
    size_t n;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    l = cd_norm_lower(t);
    free(t);
    if(!l)
        return CD_ENOMEM;
    n = strlen(l);
    while(n > 1 && (l[n - 1] == '.' || l[n - 1] == '!'))
        l[--n] = '\0';
    *out = l;
    return 0;
}

/*
 * Read a yes/no value into *out (CD_TRI_YES or CD_TRI_NO). 0, CD_EINVALID
 * when s is no clear yes or no, CD_ENOMEM.
 */
int cd_norm_bool(int *out, const char *s)
{
    char *l = NULL;
    int rc;

    rc = fold(&l, s);
    if(rc)
        return rc;
    if(cd_norm_word_index(l, strlen(l), yes_words) >= 0)
        *out = CD_TRI_YES;
    else if(cd_norm_word_index(l, strlen(l), no_words) >= 0)
        *out = CD_TRI_NO;
    else
        rc = CD_EINVALID;
    free(l);
    return rc;
}

/*
 * Read wheelchair access into *out: a malloc'd "yes", "limited" or "no".
 * 0, CD_EINVALID, CD_ENOMEM.
 */
int cd_norm_wheelchair(char **out, const char *s)
{
    const char *v;
    char *l = NULL;
    size_t n;
    int rc;

    *out = NULL;
    rc = fold(&l, s);
    if(rc)
        return rc;
    n = strlen(l);
    if(cd_norm_word_index(l, n, wc_yes) >= 0)
        v = "yes";
    else if(cd_norm_word_index(l, n, wc_limited) >= 0)
        v = "limited";
    else if(cd_norm_word_index(l, n, wc_no) >= 0)
        v = "no";
    else
        v = NULL;
    free(l);
    if(!v)
        return CD_EINVALID;
    *out = strdup(v);
    return *out ? 0 : CD_ENOMEM;
}
