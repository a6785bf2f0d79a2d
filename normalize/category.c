/* SPDX-License-Identifier: MIT */
/*
 * Categories: the sources' own words, and the OSM tags they map to.
 *
 * One categories value may hold several words ("Bäckerei, Café"); they are
 * split on "," ";" "|" and trimmed. Each word is looked up, case folded,
 * in data/categories.tsv (loaded by normalize/data.c; there is no built-in
 * copy): first as a whole, then word by word ("Bäckerei & Konditorei",
 * "Café Restaurant"), where lines flagged "suffix" also match the end of a
 * German compound ("Landbäckerei", "Augenoptik"). A word that already
 * is an OSM tag of a key such as shop, amenity or craft ("shop=bakery")
 * is taken as that tag. A word that maps to nothing is reported back
 * (`unmapped`), for the crawl report.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

/* Shortest compound head kept before a suffix ("Land" in Landbäckerei). */
#define MIN_HEAD 3

/* Append a copy of s to l unless it is there. 0 or CD_ENOMEM. */
static int add_once(struct cd_strlist *l, const char *s, size_t n)
{
    size_t i;

    for(i = 0; i < l->n; i++) {
        if(strlen(l->v[i]) == n && !memcmp(l->v[i], s, n))
            return 0;
    }
    return cd_strlist_add(l, s, n);
}

/* Whether entry m matches the lower-case word w (n bytes): as a whole,
 * or with `suffix` only as the end of a compound the entry allows. */
static int matches(const struct cd_norm_cat *m, const char *w, size_t n,
                   int suffix)
{
    size_t k = strlen(m->word);

    if(!suffix)
        return k == n && !memcmp(m->word, w, n);
    return (m->flags & CD_NORM_CAT_SUFFIX) && n >= k + MIN_HEAD &&
           !memcmp(m->word, w + n - k, k);
}

/* Add the tags of the lower-case word w (n bytes): the entries equal to
 * it, or when there are none and `suffix`, those that end a compound.
 * 1 when a tag was found, 0 when none, or CD_ENOMEM. */
static int map_word(struct cd_strlist *tags, const char *w, size_t n,
                    int suffix)
{
    const struct cd_norm_tables *t = cd_norm_tables_get();
    const struct cd_norm_cat *c;
    size_t i, j;
    int found = 0, rc, pass;

    for(pass = 0; pass <= suffix && !found; pass++) {
        for(i = 0; i < t->ncat; i++) {
            c = &t->cat[i];
            if(!matches(c, w, n, pass))
                continue;
            for(j = 0; j < c->tags.n; j++) {
                rc = add_once(tags, c->tags.v[j], strlen(c->tags.v[j]));
                if(rc)
                    return rc;
            }
            found = 1;
        }
    }
    return found;
}

/* Whether c separates the words of one category ("Café & Bistro"). */
static int word_sep(int c)
{
    return c == ' ' || c == '&' || c == '/' || c == '+' || c == '(' ||
           c == ')' || c == '-' || c == '.';
}

/* Whether the n bytes at s already are an OSM tag of a key that names
 * what a place is ("shop=bakery", as osm, geojson and schemaorg sources
 * give them): one of the keys below, '=', then [a-z0-9_]. */
static int is_osm_tag(const char *s, size_t n)
{
    static const char *const keys[] = {
        "shop", "amenity", "craft", "office", "healthcare", "tourism",
        "leisure", NULL,
    };
    const char *const *k;
    size_t i, kl;

    for(k = keys; *k; k++) {
        kl = strlen(*k);
        if(n > kl + 1 && !memcmp(s, *k, kl) && s[kl] == '=')
            break;
    }
    if(!*k)
        return 0;
    for(i = kl + 1; i < n; i++)
        if(!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
             s[i] == '_'))
            return 0;
    return 1;
}

/* The tags of one trimmed category (n bytes). 1 when it gave a tag, 0
 * when none, or CD_ENOMEM. */
static int map_category(struct cd_strlist *tags, const char *s, size_t n)
{
    char *l, *w = NULL, *e;
    int rc, found;

    if(is_osm_tag(s, n)) {
        rc = add_once(tags, s, n);
        return rc ? rc : 1;
    }
    l = strndup(s, n);
    if(!l)
        return CD_ENOMEM;
    rc = cd_norm_fold_case(&w, l);
    free(l);
    if(rc)
        return rc == CD_ENOMEM ? rc : 0;
    rc = map_word(tags, w, strlen(w), 0);
    found = rc > 0;
    if(rc == 0) {
        for(l = w; *l && rc >= 0; l = e) {
            while(*l && word_sep(*l))
                l++;
            for(e = l; *e && !word_sep(*e); e++)
                ;
            if(e > l)
                rc = map_word(tags, l, (size_t)(e - l), 1);
            if(rc > 0)
                found = 1;
        }
    }
    free(w);
    return rc < 0 ? rc : found;
}

/*
 * Split a categories value and map each word (see normalize.h). Words and
 * tags are appended without duplicates, and so are the words that map to
 * nothing, to `unmapped` (MAY be NULL). 0 or CD_ENOMEM; a value of only
 * white space adds nothing.
 */
int cd_norm_categories(struct cd_strlist *words, struct cd_strlist *tags,
                       struct cd_strlist *unmapped, const char *s)
{
    char *t = NULL;
    const char *p, *e, *b;
    int rc;

    rc = cd_norm_text(&t, s);
    if(rc)
        return rc == CD_EINVALID ? 0 : rc;   /* only white space: nothing */
    for(p = t; !rc && *p; p = *e ? e + 1 : e) {
        e = p + strcspn(p, ",;|");
        b = e;
        while(p < b && *p == ' ')
            p++;
        while(b > p && b[-1] == ' ')
            b--;
        if(b == p)
            continue;
        rc = add_once(words, p, (size_t)(b - p));
        if(!rc)
            rc = map_category(tags, p, (size_t)(b - p));
        if(rc == 0 && unmapped)
            rc = add_once(unmapped, p, (size_t)(b - p));
        else if(rc > 0)
            rc = 0;
    }
    free(t);
    return rc;
}
