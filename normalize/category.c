/* SPDX-License-Identifier: MIT */
/*
 * Categories: the sources' own words, and the OSM tags they map to.
 *
 * One categories value may hold several words ("Bäckerei, Café"); they are
 * split on "," ";" "|" and trimmed. Each word is looked up, in lower case,
 * in a built-in table of {word, tag, flags}: first as a whole, then word by
 * word ("Bäckerei & Konditorei", "Café Restaurant"), where entries marked
 * MATCH_SUFFIX also match the end of a German compound ("Landbäckerei",
 * "Augenoptik"). The table is a plain array so that data/categories.tsv can
 * replace it later without changing the matching.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

#define MATCH_SUFFIX 1u  /* also the end of a compound: "Landbäckerei" */

/* Shortest compound head kept before a suffix ("Land" in Landbäckerei). */
#define MIN_HEAD 3

struct cat_map {
    const char *word;  /* lower case, UTF-8 */
    const char *tag;   /* OSM key=value */
    unsigned flags;    /* MATCH_* */
};

#define AE "\xc3\xa4"
#define OE "\xc3\xb6"
#define UE "\xc3\xbc"
#define EE "\xc3\xa9"

static const struct cat_map cat_map[] = {
    {"b" AE "ckerei", "shop=bakery", MATCH_SUFFIX},
    {"baeckerei", "shop=bakery", MATCH_SUFFIX},
    {"b" AE "cker", "shop=bakery", 0},
    {"konditorei", "shop=pastry", MATCH_SUFFIX},
    {"metzgerei", "shop=butcher", MATCH_SUFFIX},
    {"fleischerei", "shop=butcher", MATCH_SUFFIX},
    {"metzger", "shop=butcher", 0},
    {"optik", "shop=optician", MATCH_SUFFIX},
    {"optiker", "shop=optician", MATCH_SUFFIX},
    {"blumen", "shop=florist", 0},
    {"blumenladen", "shop=florist", 0},
    {"blumengesch" AE "ft", "shop=florist", 0},
    {"florist", "shop=florist", 0},
    {"floristik", "shop=florist", 0},
    {"buchhandlung", "shop=books", MATCH_SUFFIX},
    {"b" UE "cher", "shop=books", 0},
    {"friseur", "shop=hairdresser", MATCH_SUFFIX},
    {"fris" OE "r", "shop=hairdresser", MATCH_SUFFIX},
    {"friseursalon", "shop=hairdresser", 0},
    {"caf" EE, "amenity=cafe", MATCH_SUFFIX},
    {"cafe", "amenity=cafe", MATCH_SUFFIX},
    {"eiscaf" EE, "amenity=ice_cream", 0},
    {"eiscafe", "amenity=ice_cream", 0},
    {"eisdiele", "amenity=ice_cream", 0},
    {"apotheke", "amenity=pharmacy", MATCH_SUFFIX},
    {"restaurant", "amenity=restaurant", MATCH_SUFFIX},
    {"schuhe", "shop=shoes", MATCH_SUFFIX},
    {"schuhgesch" AE "ft", "shop=shoes", 0},
    {"bekleidung", "shop=clothes", MATCH_SUFFIX},
    {"mode", "shop=clothes", 0},
    {"damenmode", "shop=clothes", 0},
    {"herrenmode", "shop=clothes", 0},
    {"kindermode", "shop=clothes", 0},
    {"supermarkt", "shop=supermarket", 0},
    {"lebensmittel", "shop=supermarket", 0},
    {"fahrrad", "shop=bicycle", 0},
    {"fahrr" AE "der", "shop=bicycle", 0},
    {"spielwaren", "shop=toys", 0},
    {"elektro", "shop=electronics", 0},
    {"elektronik", "shop=electronics", 0},
    {"schreibwaren", "shop=stationery", 0},
    {"feinkost", "shop=deli", 0},
    {"getr" AE "nke", "shop=beverages", 0},
    {"getr" AE "nkemarkt", "shop=beverages", 0},
    {"juwelier", "shop=jewelry", 0},
    {"schmuck", "shop=jewelry", 0},
    {"uhren", "shop=watches", 0},
    {"kiosk", "shop=kiosk", MATCH_SUFFIX},
    {"reformhaus", "shop=health_food", 0},
    {"bioladen", "shop=health_food", 0},
    {"weinhandlung", "shop=wine", MATCH_SUFFIX},
    {"wein", "shop=wine", 0},
    {"tabak", "shop=tobacco", 0},
    {"tabakwaren", "shop=tobacco", 0},
    {"drogerie", "shop=chemist", 0},
    {"haushaltswaren", "shop=houseware", 0},
    {"schneiderei", "craft=tailor", MATCH_SUFFIX},
    {"schl" UE "sseldienst", "shop=locksmith", 0},
    {"schneidwaren", "shop=knives", 0},
    {"messer", "shop=knives", 0},
    {"messerschmiede", "shop=knives", 0},
};

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
static int matches(const struct cat_map *m, const char *w, size_t n,
                   int suffix)
{
    size_t k = strlen(m->word);

    if(!suffix)
        return k == n && !memcmp(m->word, w, n);
    return (m->flags & MATCH_SUFFIX) && n >= k + MIN_HEAD &&
           !memcmp(m->word, w + n - k, k);
}

/* Add the tags of the lower-case word w (n bytes): the entries equal to
 * it, or when there are none and `suffix`, those that end a compound.
 * 1 when a tag was found, 0 when none, or CD_ENOMEM. */
static int map_word(struct cd_strlist *tags, const char *w, size_t n,
                    int suffix)
{
    size_t i;
    int found = 0, rc, pass;

    for(pass = 0; pass <= suffix && !found; pass++) {
        for(i = 0; i < CD_ARRAY_SIZE(cat_map); i++) {
            if(!matches(&cat_map[i], w, n, pass))
                continue;
            rc = add_once(tags, cat_map[i].tag, strlen(cat_map[i].tag));
            if(rc)
                return rc;
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

/* The tags of one trimmed category (n bytes). 0 or CD_ENOMEM. */
static int map_category(struct cd_strlist *tags, const char *s, size_t n)
{
    char *l, *w, *e;
    int rc;

    l = strndup(s, n);
    if(!l)
        return CD_ENOMEM;
    w = cd_norm_lower(l);
    free(l);
    if(!w)
        return CD_ENOMEM;
    rc = map_word(tags, w, n, 0);
    if(rc == 0) {
        for(l = w; *l && rc >= 0; l = e) {
            while(*l && word_sep(*l))
                l++;
            for(e = l; *e && !word_sep(*e); e++)
                ;
            if(e > l)
                rc = map_word(tags, l, (size_t)(e - l), 1);
        }
    }
    free(w);
    return rc < 0 ? rc : 0;
}

/*
 * Split a categories value and map each word (see normalize.h). Words and
 * tags are appended without duplicates. 0 or CD_ENOMEM; a value of only
 * white space adds nothing.
 */
int cd_norm_categories(struct cd_strlist *words, struct cd_strlist *tags,
                       const char *s)
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
    }
    free(t);
    return rc;
}
