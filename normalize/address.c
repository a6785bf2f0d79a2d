/* SPDX-License-Identifier: MIT */
/*
 * Addresses: German street names, house numbers, postcodes, and whole
 * addresses written in one string.
 *
 * A whole address is cut into parts at "," ";" "|" and " / " (a slash with
 * spaces, unless a number follows: "5 / 7" is a house number), after text
 * in parentheses is dropped. A part "42651 Solingen" (or "D-42651 ...")
 * gives postcode and city; a part that ends in a house number ("Am Markt
 * 3", "Hauptstraße 12 a", "Hauptstr.12") gives street and number; a part
 * starting with "Ecke" and a trailing country name are ignored. A part
 * holding street, number, postcode and city without a comma ("Linienstraße
 * 40 10119 Berlin") is first cut before the postcode. When a part cannot be
 * read it is left out rather than guessed at.
 *
 * Street abbreviations are written out from data/street_abbrev.tsv, the
 * table partner cities extend (loaded by normalize/data.c; there is no
 * built-in copy).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

#define MAX_PARTS 16

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A letter for our purpose: ASCII or any byte of a non-ASCII character. */
static int is_letter(int c)
{
    return is_alpha(c) || (unsigned char)c >= 0x80;
}

/* ---------------------------------------------------------------------- */
/* House numbers */

/*
 * One number of a house number at s[*i] (up to n): 1 to 4 digits and an
 * optional single letter ("12a", "12 a"), written compact to o[*on].
 * 1 when read (*i moved past it), 0 when not.
 */
static int read_num(const char *s, size_t n, size_t *i, char *o, size_t *on)
{
    size_t j = *i, d = 0;

    while(j < n && is_digit(s[j]) && d < 5) {
        o[(*on)++] = s[j++];
        d++;
    }
    if(d == 0 || d > 4 || (j < n && is_digit(s[j])))
        return 0;
    *i = j;
    while(j < n && s[j] == ' ')
        j++;
    if(j < n && is_alpha(s[j]) && (j + 1 == n || !is_letter(s[j + 1]))) {
        o[(*on)++] = s[j];
        *i = j + 1;
    }
    return 1;
}

/*
 * Whether s (n bytes) is a whole house number: a number, or two joined by
 * "-", "–" or "/" ("12-14", "5 / 7", "12a-c" is not read). The compact
 * form goes to o (at least n + 1 bytes), NUL-terminated.
 */
static int read_hn(const char *s, size_t n, char *o)
{
    size_t i = 0, on = 0;

    if(!read_num(s, n, &i, o, &on))
        return 0;
    while(i < n && s[i] == ' ')
        i++;
    if(i < n) {
        if(s[i] == '-' || s[i] == '/') {
            o[on++] = s[i];
            i++;
        }
        else if(n - i >= 3 && !memcmp(s + i, "\xe2\x80\x93", 3)) {
            o[on++] = '-';                          /* en dash */
            i += 3;
        }
        else
            return 0;
        while(i < n && s[i] == ' ')
            i++;
        if(!read_num(s, n, &i, o, &on))
            return 0;
        while(i < n && s[i] == ' ')
            i++;
        if(i < n)
            return 0;
    }
    o[on] = '\0';
    return 1;
}

/* Whether s starts with the lower-case ASCII word w, in any case. */
static int starts_ci(const char *s, const char *w)
{
    for(; *w; s++, w++) {
        if(cd_norm_ascii_lower((unsigned char)*s) != *w)
            return 0;
    }
    return 1;
}

/* Skip a leading "Nr." / "Nr" / "Hausnr." in s; returns the rest. */
static const char *skip_nr(const char *s)
{
    static const char *const labels[] = {"hausnummer", "hausnr.", "hausnr",
                                         "nr.", "nr", NULL};
    size_t i, k;

    for(i = 0; labels[i]; i++) {
        k = strlen(labels[i]);
        if(!starts_ci(s, labels[i]))
            continue;
        if(s[k] == ' ' || (labels[i][k - 1] == '.' && is_digit(s[k]))) {
            s += k;
            while(*s == ' ')
                s++;
            return s;
        }
    }
    return s;
}

/*
 * Normalise a house number. 0 and a malloc'd compact form, CD_EINVALID,
 * or CD_ENOMEM.
 */
int cd_norm_housenumber(char **out, const char *s)
{
    char *t = NULL, *o = NULL;
    const char *p;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        goto out;
    p = skip_nr(t);
    o = malloc(strlen(p) + 1);
    if(!o) {
        rc = CD_ENOMEM;
        goto out;
    }
    if(!read_hn(p, strlen(p), o)) {
        rc = CD_EINVALID;
        goto out;
    }
    *out = o;
    o = NULL;
out:
    free(t);
    free(o);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Streets */

/* Append token t (n bytes) to b, its abbreviated ending written out. */
static int put_street_token(struct cd_buf *b, const char *t, size_t n)
{
    const struct cd_norm_tables *tb = cd_norm_tables_get();
    const struct cd_norm_abbrev *a;
    size_t i, k;

    for(i = 0; i < tb->nabbrev; i++) {
        a = &tb->abbrev[i];
        k = strlen(a->end);
        if(n < k || memcmp(t + n - k, a->end, k))
            continue;
        if(n == k)
            return cd_buf_puts(b, a->word);
        /* "...str" must end a word of letters: not "4str" */
        if(!a->full || (!is_letter(t[n - k - 1]) && t[n - k - 1] != '-'))
            continue;
        if(cd_buf_put(b, t, n - k))
            return CD_ENOMEM;
        return cd_buf_puts(b, a->full);
    }
    return cd_buf_put(b, t, n);
}

/*
 * Normalise a street name: white space collapsed and the abbreviations of
 * data/street_abbrev.tsv ("str." "Str." "pl." ...) written out. 0 and a
 * malloc'd string, CD_EINVALID when s is empty, or CD_ENOMEM.
 */
int cd_norm_street(char **out, const char *s)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_FIELD);
    char *t = NULL;
    const char *p, *e;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        goto out;
    for(p = t; *p; p = e) {
        while(*p == ' ')
            p++;
        e = strchr(p, ' ');
        if(!e)
            e = p + strlen(p);
        if(b.len) {
            rc = cd_buf_putc(&b, ' ');
            if(rc)
                goto out;
        }
        rc = put_street_token(&b, p, (size_t)(e - p));
        if(rc)
            goto out;
    }
    *out = cd_buf_detach(&b);
    if(!*out)
        rc = CD_ENOMEM;
out:
    cd_buf_dispose(&b);
    free(t);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Postcodes */

/* Length of a "D-" / "DE-" / "D " country prefix at s, 0 when none. */
static size_t country_prefix(const char *s)
{
    if(s[0] == 'D' && (s[1] == '-' || s[1] == ' ') && is_digit(s[2]))
        return 2;
    if(s[0] == 'D' && s[1] == 'E' && (s[2] == '-' || s[2] == ' ') &&
       is_digit(s[3]))
        return 3;
    return 0;
}

/* Whether s holds five digits, not more, and not "00..." (unused). */
static int is_postcode(const char *s)
{
    int i;

    for(i = 0; i < 5; i++) {
        if(!is_digit(s[i]))
            return 0;
    }
    return !is_digit(s[5]) && !(s[0] == '0' && s[1] == '0');
}

/*
 * Normalise a postcode: five digits, an optional "D-" in front. 0 and a
 * malloc'd string, CD_EINVALID, or CD_ENOMEM.
 */
int cd_norm_postcode(char **out, const char *s)
{
    char *t = NULL;
    const char *p;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    p = t + country_prefix(t);
    if(!is_postcode(p) || p[5]) {
        free(t);
        return CD_EINVALID;
    }
    *out = strndup(p, 5);
    free(t);
    return *out ? 0 : CD_ENOMEM;
}

/* ---------------------------------------------------------------------- */
/* Whole addresses */

enum part_kind {
    PART_TEXT,    /* words: a street without number, a city, a name */
    PART_STREET,  /* street and house number */
    PART_PC,      /* postcode, perhaps with a city */
};

struct part {
    char *s;               /* NUL-terminated, inside the working copy */
    enum part_kind kind;
    size_t street_len;     /* PART_STREET: bytes of the street name */
    char *hn;              /* PART_STREET: compact number, in hnbuf */
    const char *city;      /* PART_PC: the city after it, or NULL */
};

/* Drop "( ... )" from s in place; an unclosed "(" drops the rest. */
static void drop_parens(char *s)
{
    char *w = s;
    int depth = 0;

    for(; *s; s++) {
        if(*s == '(')
            depth++;
        else if(*s == ')' && depth > 0)
            depth--;
        else if(!depth)
            *w++ = *s;
    }
    *w = '\0';
}

/* Trim spaces of s in place; returns the start. */
static char *trim(char *s)
{
    size_t n;

    while(*s == ' ')
        s++;
    n = strlen(s);
    while(n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

/* Whether s starts with the lower-case word w (then a space or end). */
static int starts_word(const char *s, const char *w)
{
    size_t k = strlen(w);

    return starts_ci(s, w) &&
           (s[k] == '\0' || s[k] == ' ' || s[k] == ':');
}

/* Cut s at a " Ecke " that names the corner ("Kölner Str. 5 Ecke ..."). */
static void cut_corner(char *s)
{
    char *e;

    for(e = strchr(s, ' '); e; e = strchr(e + 1, ' ')) {
        if(starts_word(e + 1, "ecke")) {
            *e = '\0';
            return;
        }
    }
}

/* Whether a part is only a country name. */
static int is_country(const char *s)
{
    static const char *const names[] = {"deutschland", "germany", "brd",
                                        "de", "d", NULL};
    char *l = cd_norm_lower(s);
    int r;

    if(!l)
        return 0;
    r = cd_norm_word_index(l, strlen(l), names) >= 0;
    free(l);
    return r;
}

/* Whether s has a digit in it. */
static int has_digit(const char *s)
{
    for(; *s; s++) {
        if(is_digit(*s))
            return 1;
    }
    return 0;
}

/* Whether the last space-separated token of s[0..n) is all digits. */
static int ends_in_number(const char *s, size_t n)
{
    size_t i = n;

    while(i > 0 && s[i - 1] != ' ')
        i--;
    if(i == n)
        return 0;
    for(; i < n; i++) {
        if(!is_digit(s[i]) && s[i] != '.')
            return 0;
    }
    return 1;
}

/* Whether s[0..n) has a letter in it. */
static int has_letter(const char *s, size_t n)
{
    size_t i;

    for(i = 0; i < n; i++) {
        if(is_letter(s[i]))
            return 1;
    }
    return 0;
}

/*
 * Read a part as street and house number: find the leftmost cut where the
 * rest is a whole house number and the street before it has letters and
 * does not end in a number. A "Nr." at the end of the street is dropped.
 * hn gets the compact number (at least strlen(p->s) + 1 bytes).
 */
static int read_street_hn(struct part *p, char *hn)
{
    const char *s = p->s;
    size_t n = strlen(s), i, cut, rest, sl;

    for(i = 1; i + 1 < n; i++) {
        if(s[i] == ' ') {
            cut = i;
            rest = i + 1;
        }
        else if(s[i] == '.' && is_digit(s[i + 1])) {
            cut = i + 1;
            rest = i + 1;
        }
        else
            continue;
        sl = cut;
        while(sl > 0 && s[sl - 1] == ' ')
            sl--;
        if(!has_letter(s, sl) || ends_in_number(s, sl))
            continue;
        if(!read_hn(s + rest, n - rest, hn))
            continue;
        /* "Hauptstraße Nr. 5" */
        if(sl >= 3 && !memcmp(s + sl - 3, "Nr.", 3))
            sl -= 3;
        else if(sl >= 2 && !memcmp(s + sl - 2, "Nr", 2))
            sl -= 2;
        while(sl > 0 && s[sl - 1] == ' ')
            sl--;
        if(!sl)
            continue;
        p->street_len = sl;
        p->hn = hn;
        return 1;
    }
    return 0;
}

/* Read a part as "[D-]NNNNN [city]". */
static int read_pc(struct part *p)
{
    char *s = p->s + country_prefix(p->s);

    if(!is_postcode(s))
        return 0;
    if(s[5] == '\0') {
        p->city = NULL;
    }
    else if(s[5] == ' ' && is_letter(s[6])) {
        p->city = s + 6;
    }
    else
        return 0;
    p->s = s;
    return 1;
}

/*
 * Where a part holds "street number postcode city" without a comma: the
 * offset of the postcode's space, or 0.
 */
static size_t embedded_pc(const char *s)
{
    size_t i;

    for(i = 1; s[i]; i++) {
        if(s[i] != ' ')
            continue;
        if(is_postcode(s + i + 1) && s[i + 6] == ' ' &&
           is_letter(s[i + 7]) && has_letter(s, i))
            return i;
    }
    return 0;
}

/* Cut the working copy t into parts; returns how many. */
static size_t cut_parts(struct part *parts, char *t)
{
    size_t n = 0, off;
    char *p = t, *s;

    while(p && n < MAX_PARTS) {
        s = p;
        for(; *p; p++) {
            if(*p == ',' || *p == ';' || *p == '|')
                break;
            if(*p == '/' && p > s && p[-1] == ' ' && p[1] == ' ' &&
               !is_digit(p[2]))
                break;
        }
        if(*p)
            *p++ = '\0';
        else
            p = NULL;
        cut_corner(s);
        s = trim(s);
        if(!*s || starts_word(s, "ecke") || is_country(s))
            continue;
        off = embedded_pc(s);
        if(off && n + 1 < MAX_PARTS) {
            s[off] = '\0';
            parts[n++].s = trim(s);
            s = trim(s + off + 1);
        }
        parts[n++].s = s;
    }
    return n;
}

/* A malloc'd copy of s[0..n) into *dst unless dst is NULL. */
static int give(char **dst, const char *s, size_t n)
{
    if(!dst)
        return 0;
    *dst = strndup(s, n);
    return *dst ? 0 : CD_ENOMEM;
}

/*
 * Split a whole address. Each out (any may be NULL when not wanted) gets a
 * malloc'd value or NULL. 0 when at least one part was found, CD_EINVALID
 * when none, CD_ENOMEM.
 */
int cd_norm_address(char **street, char **housenumber, char **postcode,
                    char **city, const char *s)
{
    struct part parts[MAX_PARTS];
    char *t = NULL, *hnbuf = NULL, *raw = NULL;
    size_t n, i, hnoff = 0;
    long ipc = -1, ist = -1, wst = -1, icity = -1;
    const char *cityp = NULL;
    int rc;

    if(street)
        *street = NULL;
    if(housenumber)
        *housenumber = NULL;
    if(postcode)
        *postcode = NULL;
    if(city)
        *city = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        goto out;
    drop_parens(t);
    hnbuf = malloc(2 * strlen(t) + 2 * MAX_PARTS);
    if(!hnbuf) {
        rc = CD_ENOMEM;
        goto out;
    }
    memset(parts, 0, sizeof(parts));
    n = cut_parts(parts, t);
    for(i = 0; i < n; i++) {
        if(read_pc(&parts[i]))
            parts[i].kind = PART_PC;
        else if(read_street_hn(&parts[i], hnbuf + hnoff)) {
            parts[i].kind = PART_STREET;
            hnoff += strlen(hnbuf + hnoff) + 1;
        }
        else
            parts[i].kind = PART_TEXT;
        if(parts[i].kind == PART_PC && ipc < 0)
            ipc = (long)i;
    }
    /* the street: the last numbered part before the postcode */
    for(i = 0; i < n && (ipc < 0 || (long)i < ipc); i++) {
        if(parts[i].kind == PART_STREET)
            ist = (long)i;
    }
    /* else words that neither start nor end with a number ("4265
     * Solingen" is a broken postcode): the nearest before the postcode,
     * or the first when there is none */
    for(i = 0; ist < 0 && i < n && (ipc < 0 || (long)i < ipc); i++) {
        if(parts[i].kind == PART_TEXT && !is_digit(parts[i].s[0]) &&
           !ends_in_number(parts[i].s, strlen(parts[i].s)) &&
           has_letter(parts[i].s, strlen(parts[i].s))) {
            wst = (long)i;
            if(ipc < 0)
                break;
        }
    }
    if(ist < 0)
        ist = wst;
    if(ipc >= 0 && parts[ipc].city)
        cityp = parts[ipc].city;
    else {
        /* a city of its own: the first words without digits after the
         * postcode, or after the street when there is no postcode */
        long from = ipc >= 0 ? ipc : ist;

        for(i = (size_t)(from + 1); from >= 0 && i < n; i++) {
            if(parts[i].kind == PART_TEXT && !has_digit(parts[i].s)) {
                icity = (long)i;
                break;
            }
        }
        if(icity >= 0)
            cityp = parts[icity].s;
    }
    if(ist < 0 && ipc < 0) {
        rc = CD_EINVALID;
        goto out;
    }
    if(ist >= 0 && street) {
        const struct part *p = &parts[ist];
        size_t sl = p->kind == PART_STREET ? p->street_len : strlen(p->s);

        rc = give(&raw, p->s, sl);
        if(rc)
            goto out;
        rc = cd_norm_street(street, raw);
        if(rc)
            goto out;
    }
    if(ist >= 0 && parts[ist].kind == PART_STREET)
        rc = give(housenumber, parts[ist].hn, strlen(parts[ist].hn));
    if(!rc && ipc >= 0)
        rc = give(postcode, parts[ipc].s, 5);
    if(!rc && cityp)
        rc = give(city, cityp, strlen(cityp));
out:
    if(rc) {
        if(street)
            CD_FREE(*street);
        if(housenumber)
            CD_FREE(*housenumber);
        if(postcode)
            CD_FREE(*postcode);
        if(city)
            CD_FREE(*city);
    }
    free(raw);
    free(hnbuf);
    free(t);
    return rc;
}
