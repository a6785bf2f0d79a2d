/* SPDX-License-Identifier: MIT */
/*
 * Matching two places: the score that tells whether two records describe
 * one shop (see normalize/match.h). Divisions: folding and tokens; name
 * similarity; the score.
 *
 * The weights, added up (positive: the same shop, negative: two shops):
 *   name      alike >= 0.9: +3; >= 0.75: +1.5; >= 0.5: -1; less: -4
 *   location  street and number equal: +2.5; number's first part equal:
 *             +1.5; same street, other number: -2.5; other street: -4;
 *             with coordinates 40 m apart or less any of these is at least
 *             +2.5 (a corner shop has two addresses). Without both
 *             addresses: the distance (<= 40 m +2.5, <= 120 m +1.5,
 *             <= 300 m 0, <= 1 km -2.5, more -4), else the postcode
 *             (equal +0.5, other -1.5)
 *   phone     equal: +4.5 (a number belongs to one shop); other: -1 (a
 *             shop may have two)
 *   web       web site or e-mail equal: +1.5 (chains share a site, so it
 *             is weak); other host: -1
 * Same shop from CD_MATCH_THRESHOLD (3.5): a name alike and one more piece
 * of evidence (place or phone), or a phone that outweighs a new address
 * (a shop that moved). Branches of one chain share the name and the web
 * site but not the address or the phone; two shops in one house share the
 * address but not the name.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/match.h"

#define TOKEN_MAX 128     /* bytes of a token compared; longer: cut */
#define TOKENS_MAX 24     /* tokens of a name compared */

/* ---- folding and tokens ------------------------------------------------ */

/* Append the bytes of s to r at *o. */
static void put(char *r, size_t *o, const char *s)
{
    size_t n = strlen(s);

    memcpy(r + *o, s, n);
    *o += n;
}

int cd_match_fold(char **out, const char *s)
{
    utf8proc_uint8_t *low = NULL;
    utf8proc_int32_t cp, d[8];
    utf8proc_ssize_t k, nd;
    const utf8proc_uint8_t *p;
    utf8proc_category_t cat;
    char *r;
    size_t o = 0;
    int rc, space = 1;

    *out = NULL;
    rc = cd_norm_fold_case((char **)&low, s);
    if(rc)
        return rc;
    /* "ä" -> "ae" doubles at most: 2 bytes to 2, 1 to 2 for ASCII ones */
    r = malloc(strlen((char *)low) * 2 + 2);
    if(!r) {
        free(low);
        return CD_ENOMEM;
    }
    for(p = low; *p; p += k) {
        k = utf8proc_iterate(p, -1, &cp);
        if(k <= 0) {
            k = 1;
            cp = ' ';
        }
        if(cp == 0xe4 || cp == 0xf6 || cp == 0xfc) {
            put(r, &o, cp == 0xe4 ? "ae" : cp == 0xf6 ? "oe" : "ue");
            space = 0;
            continue;
        }
        nd = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, NULL);
        if(nd > 0)
            cp = d[0];                             /* "é" -> "e" */
        cat = utf8proc_category(cp);
        if(cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
            continue;                              /* a lone mark */
        if((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO)) {
            if(cp < 0x80)
                r[o++] = (char)cp;
            else
                o += (size_t)utf8proc_encode_char(
                    cp, (utf8proc_uint8_t *)r + o);
            space = 0;
        }
        else if(!space) {
            r[o++] = ' ';
            space = 1;
        }
    }
    while(o > 0 && r[o - 1] == ' ')
        o--;
    r[o] = '\0';
    free(low);
    *out = r;
    return 0;
}

/* Words that say nothing about which shop it is: legal forms, articles,
 * prepositions. Folded. */
static const char *const stop_words[] = {
    "gmbh", "mbh", "kg", "ohg", "gbr", "ug", "ag", "ek", "e", "k", "co",
    "inh", "inhaber", "inhaberin", "und", "u", "der", "die", "das", "den",
    "dem", "des", "am", "an", "auf", "im", "in", "zum", "zur", "von", "vom",
    "bei", "beim", "mit", "haftungsbeschraenkt", "the", "and", NULL,
};

/* Words that say what kind of shop, not which: the category words of
 * data/categories.tsv, folded, and these. */
static const char *const generic_extra[] = {
    "salon", "studio", "laden", "shop", "haus", "handel", "stube",
    "service", "center", "fachgeschaeft", "filiale", NULL,
};

static struct cd_strlist generic;   /* folded category words */
static int generic_built;

/* Fill `generic` from the category table once. */
static void build_generic(void)
{
    const struct cd_norm_tables *t = cd_norm_tables_get();
    char *f;
    size_t i;

    generic_built = 1;
    for(i = 0; i < t->ncat; i++) {
        if(cd_match_fold(&f, t->cat[i].word))
            continue;
        if(!strchr(f, ' ') && cd_strlist_add(&generic, f, strlen(f))) {
            free(f);
            return;
        }
        free(f);
    }
}

/* Whether the folded token (n bytes) is in the NULL-ended list. */
static int in_list(const char *t, size_t n, const char *const *l)
{
    return cd_norm_word_index(t, n, l) >= 0;
}

static int is_generic(const char *t, size_t n)
{
    size_t i;

    if(!generic_built)
        build_generic();
    if(in_list(t, n, generic_extra))
        return 1;
    for(i = 0; i < generic.n; i++) {
        if(strlen(generic.v[i]) == n && !memcmp(generic.v[i], t, n))
            return 1;
    }
    return 0;
}

/* The tokens of a folded name: pointers into f, stop words left out. */
struct tokens {
    const char *v[TOKENS_MAX];
    size_t len[TOKENS_MAX];
    int generic[TOKENS_MAX];
    size_t n;
};

static void tokenize(struct tokens *t, const char *f)
{
    const char *p = f, *e;

    t->n = 0;
    while(*p && t->n < TOKENS_MAX) {
        while(*p == ' ')
            p++;
        e = strchr(p, ' ');
        if(!e)
            e = p + strlen(p);
        if(e > p && !in_list(p, (size_t)(e - p), stop_words)) {
            t->v[t->n] = p;
            t->len[t->n] = (size_t)(e - p);
            t->generic[t->n] = is_generic(p, (size_t)(e - p));
            t->n++;
        }
        p = e;
    }
}

int cd_match_name_keys(struct cd_strlist *out, const char *name)
{
    struct tokens t;
    char *f = NULL;
    size_t i, j;
    int rc, seen;

    rc = cd_match_fold(&f, name);
    if(rc)
        return rc == CD_ENOMEM ? rc : 0;
    tokenize(&t, f);
    for(i = 0; !rc && i < t.n; i++) {
        if(t.generic[i] || t.len[i] < 3)
            continue;
        seen = 0;
        for(j = 0; j < out->n; j++) {
            if(strlen(out->v[j]) == t.len[i] &&
               !memcmp(out->v[j], t.v[i], t.len[i]))
                seen = 1;
        }
        if(!seen)
            rc = cd_strlist_add(out, t.v[i], t.len[i]);
    }
    free(f);
    return rc;
}

/* ---- name similarity ---------------------------------------------------- */

/*
 * Edit distance of two byte strings, each cut at TOKEN_MAX: insertions,
 * deletions, substitutions and swaps of two neighbours ("Schmtiz") cost
 * one (optimal string alignment).
 */
static size_t lev(const char *a, size_t na, const char *b, size_t nb)
{
    size_t r0[TOKEN_MAX + 1], r1[TOKEN_MAX + 1], r2[TOKEN_MAX + 1];
    size_t *pp = r0, *p = r1, *c = r2, *t, i, j, v;

    if(na > TOKEN_MAX)
        na = TOKEN_MAX;
    if(nb > TOKEN_MAX)
        nb = TOKEN_MAX;
    for(j = 0; j <= nb; j++)
        p[j] = j;
    for(i = 1; i <= na; i++) {
        c[0] = i;
        for(j = 1; j <= nb; j++) {
            v = p[j - 1] + (a[i - 1] != b[j - 1]);
            if(p[j] + 1 < v)
                v = p[j] + 1;
            if(c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if(i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
               a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[nb];
}

/* 1 - distance / longer length; 1 for two empty strings. */
static double lev_sim(const char *a, size_t na, const char *b, size_t nb)
{
    size_t m = na > nb ? na : nb;

    if(m > TOKEN_MAX)
        m = TOKEN_MAX;
    if(m == 0)
        return 1;
    return 1.0 - (double)lev(a, na, b, nb) / (double)m;
}

/* Whether two tokens are one word: equal, a typo apart, or one the start
 * or the end of the other ("blumen" "blumenhaus", "optik" "augenoptik"). */
static int tok_match(const char *a, size_t na, const char *b, size_t nb)
{
    const char *s = a, *l = b;
    size_t ns = na, nl = nb;

    if(na == nb && !memcmp(a, b, na))
        return 1;
    if(na < 4 || nb < 4)
        return 0;
    if(lev_sim(a, na, b, nb) >= 0.8)
        return 1;
    if(ns > nl) {
        s = b;
        l = a;
        ns = nb;
        nl = na;
    }
    return !memcmp(l, s, ns) || !memcmp(l + nl - ns, s, ns);
}

/* Weight of a token: what kind of shop counts half. */
static double tok_weight(const struct tokens *t, size_t i)
{
    return t->generic[i] ? 0.5 : 1.0;
}

/* Sum of weights of x's tokens that match one of y's; *distinct is set
 * when a matched token is not generic. */
static double matched(const struct tokens *x, const struct tokens *y,
                      int *distinct)
{
    double m = 0;
    size_t i, j;

    *distinct = 0;
    for(i = 0; i < x->n; i++) {
        for(j = 0; j < y->n; j++) {
            if(tok_match(x->v[i], x->len[i], y->v[j], y->len[j]))
                break;
        }
        if(j < y->n) {
            m += tok_weight(x, i);
            if(!x->generic[i])
                *distinct = 1;
        }
    }
    return m;
}

static double total_weight(const struct tokens *t)
{
    double w = 0;
    size_t i;

    for(i = 0; i < t->n; i++)
        w += tok_weight(t, i);
    return w;
}

double cd_match_name_sim(const char *a, const char *b)
{
    struct tokens ta, tb;
    char *fa = NULL, *fb = NULL;
    double ma, mb, wa, wb, sim = 0;
    int da, db;

    if(!a || !b || cd_match_fold(&fa, a) || cd_match_fold(&fb, b))
        goto out;
    tokenize(&ta, fa);
    tokenize(&tb, fb);
    if(ta.n == 0 || tb.n == 0) {
        sim = lev_sim(fa, strlen(fa), fb, strlen(fb));
        goto out;
    }
    ma = matched(&ta, &tb, &da);
    mb = matched(&tb, &ta, &db);
    wa = total_weight(&ta);
    wb = total_weight(&tb);
    sim = (ma + mb) / (wa + wb);
    /* all of one name's words, a distinctive one among them, in the other */
    if((ma >= wa && da) || (mb >= wb && db))
        sim = sim > 0.9 ? sim : 0.9;
out:
    free(fa);
    free(fb);
    return sim;
}

/* ---- the score ---------------------------------------------------------- */

double cd_match_distance(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371008.8, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) *
               sin(dlon / 2);

    return 2 * r * asin(sqrt(h < 1 ? h : 1));
}

/* Whether two streets are one: folded, equal or a typo apart. */
static int same_street(const char *a, const char *b)
{
    char *fa = NULL, *fb = NULL;
    int same = 0;

    if(!cd_match_fold(&fa, a) && !cd_match_fold(&fb, b))
        same = !strcmp(fa, fb) ||
               lev_sim(fa, strlen(fa), fb, strlen(fb)) >= 0.85;
    free(fa);
    free(fb);
    return same;
}

/* Evidence from two house numbers (normal form: "12a", "12-14"). */
static double housenumbers(const char *a, const char *b)
{
    long x, y;

    if(!strcmp(a, b))
        return 2.5;
    x = strtol(a, NULL, 10);
    y = strtol(b, NULL, 10);
    return (x > 0 && x == y) ? 1.5 : -2.5;
}

/* Evidence from where the two are. */
static double location(const struct cd_place *a, const struct cd_place *b,
                       double d)
{
    double s;

    if(a->street && b->street) {
        if(!same_street(a->street, b->street))
            s = -4;
        else if(a->housenumber && b->housenumber)
            s = housenumbers(a->housenumber, b->housenumber);
        else
            s = 1;
        if(d >= 0 && d <= 40 && s < 2.5)
            s = 2.5;
        return s;
    }
    if(d >= 0) {
        if(d <= 40)
            return 2.5;
        if(d <= 120)
            return 1.5;
        if(d <= 300)
            return 0;
        return d <= 1000 ? -2.5 : -4;
    }
    if(a->postcode && b->postcode)
        return strcmp(a->postcode, b->postcode) ? -1.5 : 0.5;
    return 0;
}

/* A web address without scheme, "www." and a trailing "/". */
static void web_key(const char **host, size_t *nhost, size_t *n,
                    const char *u)
{
    const char *p = strstr(u, "://");

    p = p ? p + 3 : u;
    if(!strncmp(p, "www.", 4))
        p += 4;
    *host = p;
    *nhost = strcspn(p, "/?#");
    *n = strlen(p);
    while(*n > *nhost && p[*n - 1] == '/')
        (*n)--;
}

/* Evidence from web sites and e-mail addresses. */
static double web(const struct cd_place *a, const struct cd_place *b)
{
    const char *ha, *hb;
    size_t nha, nhb, na, nb;
    double s = 0;

    if(a->website && b->website) {
        web_key(&ha, &nha, &na, a->website);
        web_key(&hb, &nhb, &nb, b->website);
        if(na == nb && !memcmp(ha, hb, na))
            s = 1.5;
        else if(nha != nhb || memcmp(ha, hb, nha))
            s = -1;
    }
    if(a->email && b->email && !strcmp(a->email, b->email))
        s = 1.5;
    return s;
}

double cd_match_score(const struct cd_place *a, const struct cd_place *b,
                      struct cd_match_detail *why)
{
    struct cd_match_detail w;

    memset(&w, 0, sizeof(w));
    w.name_sim = -1;
    w.distance_m = -1;
    if(a->name && b->name) {
        w.name_sim = cd_match_name_sim(a->name, b->name);
        if(w.name_sim >= 0.9)
            w.name = 3;
        else if(w.name_sim >= 0.75)
            w.name = 1.5;
        else if(w.name_sim >= 0.5)
            w.name = -1;
        else
            w.name = -4;
    }
    if(a->has_coords && b->has_coords)
        w.distance_m = cd_match_distance(a->lat, a->lon, b->lat, b->lon);
    w.location = location(a, b, w.distance_m);
    if(a->phone && b->phone)
        w.phone = strcmp(a->phone, b->phone) ? -1 : 4.5;
    w.web = web(a, b);
    w.total = w.name + w.location + w.phone + w.web;
    if(why)
        *why = w;
    return w.total;
}

int cd_match_same(const struct cd_place *a, const struct cd_place *b)
{
    return cd_match_score(a, b, NULL) >= CD_MATCH_THRESHOLD;
}
