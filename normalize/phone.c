/* SPDX-License-Identifier: MIT */
/*
 * Phone numbers: German numbers in the form "+49 212 123456".
 *
 * A number is read as groups of digits between separators (space, "-",
 * "/", ".", parentheses); a leading "Tel.", "Telefon:", "tel:" and so on is
 * dropped. "0212 ..." is national (trunk 0), "+49 ..." and "0049 ..."
 * international, and "+49 (0)212" drops the "(0)". Anything else (letters,
 * a local number without area code, fewer than 6 digits, more than 15 in
 * the international form) is CD_EINVALID.
 *
 * Where the area code ends cannot be known from the digits alone
 * ("+492121234567"). The mobile prefixes 015x/016x/017x decide first;
 * then a split the source made right after a known area code; then the
 * longest code of a small built-in list (the demo region and the big
 * cities); otherwise the split the source made (the first group) is kept;
 * when the source made none, the national number is written unsplit:
 * "+49 2171123456". Numbers of other countries keep the source's groups.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

#define MAX_GROUPS 16
#define MAX_DIGITS 32

/* Area codes without the trunk 0. Longer codes that share a start with a
 * shorter one are listed too ("2129" Haan beside "212" Solingen). */
static const char *const area_codes[] = {
    "212",   /* Solingen */
    "2129",  /* Haan */
    "2191",  /* Remscheid */
    "202",   /* Wuppertal */
    "211",   /* Düsseldorf */
    "221",   /* Köln */
    "5361",  /* Wolfsburg */
    "30",    /* Berlin */
    "40",    /* Hamburg */
    "69",    /* Frankfurt am Main */
    "89",    /* München */
    "800",   /* toll-free */
    NULL,
};

/* Digits read, cut where the source put separators. */
struct groups {
    char d[MAX_DIGITS + 1];      /* every digit, in order */
    size_t off[MAX_GROUPS];      /* where each group starts in d */
    size_t len[MAX_GROUPS];      /* its digits */
    int paren[MAX_GROUPS];       /* 1 when written inside ( ) */
    size_t n;                    /* groups */
    size_t nd;                   /* digits */
    int plus;                    /* a leading "+" */
};

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Skip a label such as "Tel.:" at the start; NULL when a word is there
 * that is no phone label. */
static const char *skip_label(const char *s)
{
    static const char *const labels[] = {
        "tel", "telefon", "telephone", "phone", "fon", "t", "mobil",
        "mobile", "handy", "ruf", NULL};
    char word[16];
    size_t n = 0;

    while(is_alpha(s[n]) && n < sizeof(word) - 1) {
        word[n] = (char)cd_norm_ascii_lower(s[n]);
        n++;
    }
    if(!n)
        return s;
    if(is_alpha(s[n]) || cd_norm_word_index(word, n, labels) < 0)
        return NULL;
    s += n;
    if(*s == '.')
        s++;
    while(*s == ' ')
        s++;
    if(*s == ':')
        s++;
    while(*s == ' ')
        s++;
    return s;
}

/* End the group being read, if it has digits. */
static int end_group(struct groups *g, size_t *start, int paren)
{
    if(g->nd == *start)
        return 0;
    if(g->n == MAX_GROUPS)
        return CD_EINVALID;
    g->off[g->n] = *start;
    g->len[g->n] = g->nd - *start;
    g->paren[g->n] = paren;
    g->n++;
    *start = g->nd;
    return 0;
}

/* Cut s into groups of digits. 0 or CD_EINVALID. */
static int read_groups(struct groups *g, const char *s)
{
    size_t start = 0;
    int paren = 0;

    memset(g, 0, sizeof(*g));
    for(; *s; s++) {
        if(is_digit(*s)) {
            if(g->nd == MAX_DIGITS)
                return CD_EINVALID;
            g->d[g->nd++] = *s;
            continue;
        }
        if(*s == '+' && !g->nd && !g->plus && !paren) {
            g->plus = 1;
            continue;
        }
        if(*s != ' ' && *s != '-' && *s != '/' && *s != '.' && *s != '(' &&
           *s != ')')
            return CD_EINVALID;
        if(end_group(g, &start, paren))
            return CD_EINVALID;
        if(*s == '(') {
            if(paren)
                return CD_EINVALID;
            paren = 1;
        }
        else if(*s == ')') {
            if(!paren)
                return CD_EINVALID;
            paren = 0;
        }
    }
    if(paren || end_group(g, &start, paren))
        return CD_EINVALID;
    return 0;
}

/* Drop k digits from the front of group i (and the group when empty). */
static void eat(struct groups *g, size_t i, size_t k)
{
    g->off[i] += k;
    g->len[i] -= k;
    if(!g->len[i]) {
        memmove(&g->off[i], &g->off[i + 1], (g->n - i - 1) * sizeof(size_t));
        memmove(&g->len[i], &g->len[i + 1], (g->n - i - 1) * sizeof(size_t));
        memmove(&g->paren[i], &g->paren[i + 1],
                (g->n - i - 1) * sizeof(int));
        g->n--;
    }
}

/* Whether group i is "(0)". */
static int is_paren_zero(const struct groups *g, size_t i)
{
    return i < g->n && g->paren[i] && g->len[i] == 1 &&
           g->d[g->off[i]] == '0';
}

/* Digits of the national number after the groups before `from` are gone. */
static size_t digits_from(const struct groups *g, size_t from)
{
    size_t i, n = 0;

    for(i = from; i < g->n; i++)
        n += g->len[i];
    return n;
}

/* How many digits of nsn (n digits) are its area code, 0 if unknown. */
static size_t area_len(const struct groups *g, const char *nsn, size_t n)
{
    size_t i, k, best = 0;

    if(n >= 9 && nsn[0] == '1' && nsn[1] >= '5' && nsn[1] <= '7')
        return 3;                                  /* mobile: 015x ... */
    /* A split the source made after a known code wins: "0212-948731" is
     * Solingen even though 02129 (Haan) is a code too. */
    for(i = 0; g->n >= 2 && area_codes[i]; i++)
        if(strlen(area_codes[i]) == g->len[0] &&
           !memcmp(nsn, area_codes[i], g->len[0]) && n >= g->len[0] + 3)
            return g->len[0];
    for(i = 0; area_codes[i]; i++) {
        k = strlen(area_codes[i]);
        if(n >= k + 3 && !memcmp(nsn, area_codes[i], k) && k > best)
            best = k;
    }
    if(best)
        return best;
    if(g->n >= 2 && g->len[0] >= 2 && g->len[0] <= 5 && n > g->len[0] + 2)
        return g->len[0];                      /* the source's own split */
    return 0;
}

/* "+CC group group ..." for a number of another country. */
static int write_foreign(char **out, const struct groups *g)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_FIELD);
    size_t i;
    int rc = cd_buf_putc(&b, '+');

    for(i = 0; !rc && i < g->n; i++) {
        if(is_paren_zero(g, i))
            continue;
        if(b.len > 1)
            rc = cd_buf_putc(&b, ' ');
        if(!rc)
            rc = cd_buf_put(&b, g->d + g->off[i], g->len[i]);
    }
    if(!rc) {
        *out = cd_buf_detach(&b);
        rc = *out ? 0 : CD_ENOMEM;
    }
    cd_buf_dispose(&b);
    return rc;
}

/*
 * Normalise a phone number. 0 and a malloc'd "+49 212 123456", CD_EINVALID
 * when s is not a phone number we can read, or CD_ENOMEM.
 */
int cd_norm_phone(char **out, const char *s)
{
    struct groups g;
    char *t = NULL, nsn[MAX_DIGITS + 1];
    const char *p;
    size_t i, n = 0, a;
    int rc, intl;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    p = skip_label(t);
    if(!p || read_groups(&g, p) || g.nd < 6) {
        rc = CD_EINVALID;
        goto out;
    }
    intl = g.plus || (g.len[0] >= 2 && !memcmp(g.d + g.off[0], "00", 2));
    /* parentheses hold the area code or the "(0)" after the country */
    for(i = 0; i < g.n; i++) {
        if(g.paren[i] && i > (size_t)intl) {
            rc = CD_EINVALID;
            goto out;
        }
    }
    if(!g.plus && intl)
        eat(&g, 0, 2);
    if(intl) {
        if(!g.n || g.d[g.off[0]] == '0') {
            rc = CD_EINVALID;
            goto out;
        }
        if(g.len[0] < 2 || memcmp(g.d + g.off[0], "49", 2)) {
            if(digits_from(&g, 0) - (is_paren_zero(&g, 1) ? 1 : 0) > 15 ||
               digits_from(&g, 0) < 7) {
                rc = CD_EINVALID;
                goto out;
            }
            rc = write_foreign(out, &g);
            goto out;
        }
        eat(&g, 0, 2);                                  /* 49 */
        if(is_paren_zero(&g, 0))
            eat(&g, 0, 1);
    }
    else if(g.d[g.off[0]] != '0') {
        rc = CD_EINVALID;               /* a local number: no area code */
        goto out;
    }
    /* the trunk 0 ("0212", also "+49 0212" as some write it) */
    if(g.n && g.d[g.off[0]] == '0')
        eat(&g, 0, 1);
    for(i = 0; i < g.n; i++) {
        memcpy(nsn + n, g.d + g.off[i], g.len[i]);
        n += g.len[i];
    }
    nsn[n] = '\0';
    if(n < 6 || n + 2 > 15 || nsn[0] == '0') {
        rc = CD_EINVALID;
        goto out;
    }
    a = area_len(&g, nsn, n);
    if(a)
        *out = malloc(n + 6);
    else
        *out = malloc(n + 5);
    if(!*out) {
        rc = CD_ENOMEM;
        goto out;
    }
    memcpy(*out, "+49 ", 4);
    memcpy(*out + 4, nsn, a);
    if(a) {
        (*out)[4 + a] = ' ';
        memcpy(*out + 5 + a, nsn + a, n - a + 1);
    }
    else
        memcpy(*out + 4, nsn, n + 1);
out:
    free(t);
    return rc;
}
