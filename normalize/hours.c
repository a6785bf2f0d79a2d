/* SPDX-License-Identifier: MIT */
/*
 * Opening hours: German text to OpenStreetMap opening_hours syntax.
 *
 * Divisions: the validator of the OSM subset we write; the tokenizer (day
 * names, times, "bis", "und", "Uhr", "geschlossen", ...); the parser, which
 * fills a week of time spans; and the writer, which groups days with equal
 * spans ("Mo-Fr 09:00-18:00; Sa 09:00-14:00").
 *
 * The German reading is additive: "Mo-Fr 9-12 und Mo, Di, Do 15-18" opens
 * Monday twice; but hours that overlap what a day has already replace it
 * ("Mo-Fr 9-18, Mi 9-13": Wednesday closes at 13:00). A day named
 * "geschlossen" or "Ruhetag" is closed whatever else is said of it and is
 * written "We off"; closed days alone ("Mittwoch Ruhetag") say too little
 * and are refused. Holidays ("Feiertage") are the OSM "PH". Input that is
 * already in the subset passes through unchanged. Anything the parser
 * cannot read to the end (an unknown word, days without times, times
 * without days, "ab 9 Uhr", "nach Vereinbarung") is CD_EINVALID: nothing
 * is guessed. Each result is checked with the validator before it is
 * returned.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

#define NDAYS 8          /* Mo..Su and PH */
#define DAY_PH 7
#define MAX_SPANS 8      /* time spans a day may have */
#define MAX_TOKENS 128

static const char *const osm_days[NDAYS] = {"Mo", "Tu", "We", "Th",
                                            "Fr", "Sa", "Su", "PH"};

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* ---------------------------------------------------------------------- */
/* Validator */

/* A weekday "Mo".."Su" at s: its index, or -1. */
static int osm_day(const char *s)
{
    int i;

    for(i = 0; i < 7; i++) {
        if(!strncmp(s, osm_days[i], 2))
            return i;
    }
    return -1;
}

/* "HH:MM" at *p with HH <= 24 (24 only as 24:00 and when end); minutes. */
static int osm_time(const char **p, int end)
{
    const char *s = *p;
    int h, m;

    if(!is_digit(s[0]) || !is_digit(s[1]) || s[2] != ':' ||
       !is_digit(s[3]) || !is_digit(s[4]))
        return -1;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if(h > 24 || m > 59 || (h == 24 && (m || !end)))
        return -1;
    *p = s + 5;
    return h * 60 + m;
}

/* "HH:MM-HH:MM[,HH:MM-HH:MM...]" at *p. 1 or 0. */
static int osm_spans(const char **p)
{
    int a, b;

    for(;;) {
        a = osm_time(p, 0);
        if(a < 0 || **p != '-')
            return 0;
        (*p)++;
        b = osm_time(p, 1);
        if(b < 0 || a == b)
            return 0;
        if(**p != ',')
            return 1;
        (*p)++;
    }
}

/* "Mo-Fr,Su" / "PH" at *p. 1 or 0. */
static int osm_daysel(const char **p)
{
    int a, b;

    for(;;) {
        if(!strncmp(*p, "PH", 2)) {
            *p += 2;
        }
        else {
            a = osm_day(*p);
            if(a < 0)
                return 0;
            *p += 2;
            if(**p == '-') {
                b = osm_day(*p + 1);
                if(b < 0 || b == a)
                    return 0;
                *p += 3;
            }
        }
        if(**p != ',')
            return 1;
        (*p)++;
    }
}

/*
 * Whether s is in the subset of opening_hours we write (see normalize.h).
 * NULL is not.
 */
int cd_norm_hours_valid(const char *s)
{
    const char *p = s;

    if(!s || !*s)
        return 0;
    if(!strcmp(s, "24/7"))
        return 1;
    for(;;) {
        if(!is_digit(*p)) {
            if(!osm_daysel(&p) || *p != ' ')
                return 0;
            p++;
        }
        if(!strncmp(p, "off", 3) && (p[3] == '\0' || p[3] == ';'))
            p += 3;
        else if(!osm_spans(&p))
            return 0;
        if(*p == '\0')
            return 1;
        if(strncmp(p, "; ", 2))
            return 0;
        p += 2;
    }
}

/* ---------------------------------------------------------------------- */
/* Tokenizer */

enum tok_kind {
    T_END,
    T_DAY,    /* val: 0..6, DAY_PH */
    T_DAILY,  /* "täglich": Mo-Su */
    T_TIME,   /* val: minutes since midnight */
    T_DASH,   /* "-" "–" "—" "bis" */
    T_LIST,   /* "," "/" "und" "&" "+" "sowie" */
    T_SEMI,   /* ";" "|" */
    T_COLON,
    T_OFF,    /* "geschlossen" "Ruhetag" "off" */
};

struct tok {
    enum tok_kind kind;
    int val;
    int comma;  /* T_LIST: 1 when it was "," (not "und") */
};

struct word {
    const char *w;
    enum tok_kind kind;  /* T_END: a word that is skipped */
    int val;
};

/* Words in lower case, a closing "." already removed. */
static const struct word words[] = {
    {"mo", T_DAY, 0}, {"mon", T_DAY, 0}, {"montag", T_DAY, 0},
    {"montags", T_DAY, 0}, {"monday", T_DAY, 0},
    {"di", T_DAY, 1}, {"dienstag", T_DAY, 1},
    {"dienstags", T_DAY, 1}, {"tu", T_DAY, 1}, {"tue", T_DAY, 1},
    {"tuesday", T_DAY, 1},
    {"mi", T_DAY, 2}, {"mittwoch", T_DAY, 2},
    {"mittwochs", T_DAY, 2}, {"we", T_DAY, 2}, {"wed", T_DAY, 2},
    {"wednesday", T_DAY, 2},
    {"do", T_DAY, 3}, {"donnerstag", T_DAY, 3},
    {"donnerstags", T_DAY, 3}, {"th", T_DAY, 3}, {"thu", T_DAY, 3},
    {"thursday", T_DAY, 3},
    {"fr", T_DAY, 4}, {"fri", T_DAY, 4}, {"freitag", T_DAY, 4},
    {"freitags", T_DAY, 4}, {"friday", T_DAY, 4},
    {"sa", T_DAY, 5}, {"sat", T_DAY, 5},
    {"samstag", T_DAY, 5}, {"samstags", T_DAY, 5},
    {"sonnabend", T_DAY, 5}, {"sonnabends", T_DAY, 5},
    {"saturday", T_DAY, 5},
    {"so", T_DAY, 6}, {"su", T_DAY, 6},
    {"sun", T_DAY, 6}, {"sonntag", T_DAY, 6}, {"sonntags", T_DAY, 6},
    {"sunday", T_DAY, 6},
    {"ph", T_DAY, DAY_PH}, {"feiertag", T_DAY, DAY_PH},
    {"feiertage", T_DAY, DAY_PH}, {"feiertags", T_DAY, DAY_PH},
    {"feiertagen", T_DAY, DAY_PH},
    {"t\xc3\xa4glich", T_DAILY, 0}, {"t\xc3\xa4gl", T_DAILY, 0},
    {"taeglich", T_DAILY, 0}, {"daily", T_DAILY, 0},
    {"bis", T_DASH, 0},
    {"und", T_LIST, 0}, {"u", T_LIST, 0}, {"sowie", T_LIST, 0},
    {"geschlossen", T_OFF, 0}, {"ruhetag", T_OFF, 0},
    {"closed", T_OFF, 0}, {"off", T_OFF, 0},
    {"uhr", T_END, 0}, {"h", T_END, 0}, {"von", T_END, 0},
    {"an", T_END, 0}, {"am", T_END, 0}, {"jeweils", T_END, 0},
    {"durchgehend", T_END, 0}, {"ge\xc3\xb6" "ffnet", T_END, 0},
    {"geoeffnet", T_END, 0}, {"offen", T_END, 0},
};

/* Whether c is part of a word (ASCII letter or a UTF-8 byte). */
static int word_char(int c)
{
    return (c >= 'a' && c <= 'z') || (unsigned char)c >= 0x80;
}

/* Read a time "9", "09", "9:30", "09.30", "9h". -1 when none. */
static int read_time(const char **p)
{
    const char *s = *p;
    int h = 0, m = 0, nd = 0;

    while(is_digit(*s) && nd < 3) {
        h = h * 10 + (*s++ - '0');
        nd++;
    }
    if(nd == 0 || nd > 2)
        return -1;
    if((*s == ':' || *s == '.') && is_digit(s[1]) && is_digit(s[2]) &&
       !is_digit(s[3])) {
        m = (s[1] - '0') * 10 + (s[2] - '0');
        s += 3;
    }
    else if(is_digit(*s) || ((*s == ':' || *s == '.') && is_digit(s[1])))
        return -1;
    if(*s == 'h' && !word_char(s[1]))
        s++;
    if(h > 24 || m > 59 || (h == 24 && m))
        return -1;
    *p = s;
    return h * 60 + m;
}

/*
 * Cut the lower-case text s into tokens (a T_END closes them). 0 or
 * CD_EINVALID for a character or word we do not read.
 */
static int tokenize(struct tok *t, size_t max, const char *s)
{
    size_t n = 0, i, k;
    const char *e;
    int v;

    for(;;) {
        while(*s == ' ' || *s == '.')
            s++;
        if(n + 1 >= max)
            return CD_EINVALID;
        memset(&t[n], 0, sizeof(t[n]));
        if(!*s)
            break;
        if(is_digit(*s)) {
            v = read_time(&s);
            if(v < 0)
                return CD_EINVALID;
            t[n].kind = T_TIME;
            t[n++].val = v;
            continue;
        }
        if(*s == '-' || !strncmp(s, "\xe2\x80\x93", 3) ||
           !strncmp(s, "\xe2\x80\x94", 3)) {
            s += *s == '-' ? 1 : 3;
            t[n++].kind = T_DASH;
            continue;
        }
        if(*s == ',' || *s == '/' || *s == '&' || *s == '+') {
            t[n].kind = T_LIST;
            t[n++].comma = *s == ',';
            s++;
            continue;
        }
        if(*s == ';' || *s == '|') {
            s++;
            t[n++].kind = T_SEMI;
            continue;
        }
        if(*s == ':') {
            s++;
            t[n++].kind = T_COLON;
            continue;
        }
        if(!word_char(*s))
            return CD_EINVALID;
        for(e = s; word_char(*e); e++)
            ;
        k = (size_t)(e - s);
        /* "Sonn- und Feiertage", "Sonn-/Feiertags" */
        if(k == 4 && !strncmp(s, "sonn", 4) && *e == '-') {
            t[n].kind = T_DAY;
            t[n++].val = 6;
            s = e + 1;
            continue;
        }
        for(i = 0; i < CD_ARRAY_SIZE(words); i++) {
            if(strlen(words[i].w) == k && !strncmp(words[i].w, s, k))
                break;
        }
        if(i == CD_ARRAY_SIZE(words))
            return CD_EINVALID;
        s = e;
        if(*s == '.')
            s++;
        if(words[i].kind == T_END)
            continue;
        t[n].kind = words[i].kind;
        t[n++].val = words[i].val;
    }
    t[n].kind = T_END;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Parser */

struct span {
    int from, to;  /* minutes; to < from wraps past midnight */
};

struct week {
    struct span sp[NDAYS][MAX_SPANS];
    int n[NDAYS];    /* spans per day */
    int off[NDAYS];  /* named closed */
};

/* Read "Mo", "Mo-Fr", "täglich", lists of them ("Mo, Mi und Fr"), and an
 * optional ":". The days go to *mask. Returns the next token index, or -1. */
static int parse_days(const struct tok *t, int i, unsigned *mask)
{
    int a, b, d;

    *mask = 0;
    for(;;) {
        if(t[i].kind == T_DAILY) {
            *mask |= 0x7f;
            i++;
        }
        else if(t[i].kind == T_DAY) {
            a = t[i].val;
            i++;
            if(t[i].kind == T_DASH && t[i + 1].kind == T_DAY) {
                b = t[i + 1].val;
                if(a == DAY_PH || b == DAY_PH || a == b)
                    return -1;
                for(d = a;; d = (d + 1) % 7) {
                    *mask |= 1u << d;
                    if(d == b)
                        break;
                }
                i += 2;
            }
            else
                *mask |= 1u << a;
        }
        else
            return -1;
        if(t[i].kind == T_LIST &&
           (t[i + 1].kind == T_DAY || t[i + 1].kind == T_DAILY))
            i++;
        else
            break;
    }
    if(t[i].kind == T_COLON)
        i++;
    return i;
}

/* Read "9-18", "9-13 und 14:30-18" into spans. Returns the next token
 * index or -1. */
static int parse_spans(const struct tok *t, int i, struct span *sp, int *n)
{
    *n = 0;
    for(;;) {
        if(t[i].kind != T_TIME || t[i + 1].kind != T_DASH ||
           t[i + 2].kind != T_TIME || *n == MAX_SPANS)
            return -1;
        sp[*n].from = t[i].val;
        sp[*n].to = t[i + 2].val;
        if(sp[*n].from == sp[*n].to || sp[*n].from == 24 * 60)
            return -1;
        if(sp[*n].to == 0)
            sp[*n].to = 24 * 60;                 /* "18-0 Uhr" */
        (*n)++;
        i += 3;
        if(t[i].kind == T_LIST && t[i + 1].kind == T_TIME)
            i++;
        else
            return i;
    }
}

/* Add a span to a day unless it is there already. */
static int week_add(struct week *w, int d, const struct span *s)
{
    int i;

    for(i = 0; i < w->n[d]; i++) {
        if(w->sp[d][i].from == s->from && w->sp[d][i].to == s->to)
            return 0;
    }
    if(w->n[d] == MAX_SPANS)
        return CD_EINVALID;
    w->sp[d][w->n[d]++] = *s;
    return 0;
}

/* The end of a span in minutes, past 24:00 when it wraps. */
static int span_end(const struct span *s)
{
    return s->to > s->from ? s->to : s->to + 24 * 60;
}

/* Whether any of the ns spans overlaps one day d has already. */
static int overlaps(const struct week *w, int d, const struct span *sp,
                    int ns)
{
    int i, j;

    for(i = 0; i < w->n[d]; i++) {
        for(j = 0; j < ns; j++) {
            if(w->sp[d][i].from < span_end(&sp[j]) &&
               sp[j].from < span_end(&w->sp[d][i]))
                return 1;
        }
    }
    return 0;
}

/*
 * Read every group of the tokens into the week. A group adds its spans to
 * its days ("Mo-Fr 9-12 und Mo, Di 15-18"), except where they overlap
 * spans a day has already: then they replace them, as in "Mo-Fr 9-18 Uhr,
 * Mi 9-13 Uhr". 0 or CD_EINVALID.
 */
static int parse(struct week *w, const struct tok *t)
{
    struct span sp[MAX_SPANS];
    unsigned mask;
    int i = 0, j, d, ns, off;

    memset(w, 0, sizeof(*w));
    while(t[i].kind != T_END) {
        off = 0;
        if(t[i].kind == T_OFF) {              /* "Ruhetag: Mittwoch" */
            off = 1;
            i++;
            if(t[i].kind == T_COLON)
                i++;
        }
        i = parse_days(t, i, &mask);
        if(i < 0)
            return CD_EINVALID;
        if(!off && t[i].kind == T_OFF) {
            off = 1;
            i++;
        }
        if(off) {
            for(d = 0; d < NDAYS; d++) {
                if(mask & (1u << d))
                    w->off[d] = 1;
            }
        }
        else {
            i = parse_spans(t, i, sp, &ns);
            if(i < 0)
                return CD_EINVALID;
            for(d = 0; d < NDAYS; d++) {
                if(!(mask & (1u << d)))
                    continue;
                if(overlaps(w, d, sp, ns))
                    w->n[d] = 0;        /* "Mo-Fr 9-18, Mi 9-13": replace */
                for(j = 0; j < ns; j++) {
                    if(week_add(w, d, &sp[j]))
                        return CD_EINVALID;
                }
            }
        }
        /* between groups: "," ";" "und", then days again; a trailing
         * "," or ";" is harmless, a trailing "und" leaves words out */
        if(t[i].kind == T_LIST || t[i].kind == T_SEMI) {
            i++;
            if(t[i].kind == T_END && t[i - 1].kind == T_LIST &&
               !t[i - 1].comma)
                return CD_EINVALID;
        }
        else if(t[i].kind != T_END && t[i].kind != T_DAY &&
                t[i].kind != T_DAILY && t[i].kind != T_OFF)
            return CD_EINVALID;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Writer */

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    if(x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* Whether days a and b have the same spans (both sorted). */
static int same_spans(const struct week *w, int a, int b)
{
    int i;

    if(w->n[a] != w->n[b] || w->off[a] != w->off[b])
        return 0;
    for(i = 0; i < w->n[a]; i++) {
        if(w->sp[a][i].from != w->sp[b][i].from ||
           w->sp[a][i].to != w->sp[b][i].to)
            return 0;
    }
    return 1;
}

/* Write the weekdays of mask (bits 0..6): "Mo-We,Fr,Sa". */
static int put_days(struct cd_buf *b, unsigned mask)
{
    int d = 0, e, rc, first = 1;

    while(d < 7) {
        if(!(mask & (1u << d))) {
            d++;
            continue;
        }
        for(e = d; e + 1 < 7 && (mask & (1u << (e + 1))); e++)
            ;
        if(!first) {
            rc = cd_buf_putc(b, ',');
            if(rc)
                return rc;
        }
        first = 0;
        if(e - d >= 2)
            rc = cd_buf_printf(b, "%s-%s", osm_days[d], osm_days[e]);
        else if(e - d == 1)
            rc = cd_buf_printf(b, "%s,%s", osm_days[d], osm_days[e]);
        else
            rc = cd_buf_puts(b, osm_days[d]);
        if(rc)
            return rc;
        d = e + 1;
    }
    return 0;
}

/* Write a day's spans, or "off". */
static int put_spans(struct cd_buf *b, const struct week *w, int d)
{
    int i, rc;

    if(w->off[d])
        return cd_buf_puts(b, "off");
    for(i = 0; i < w->n[d]; i++) {
        rc = cd_buf_printf(b, "%s%02d:%02d-%02d:%02d", i ? "," : "",
                           w->sp[d][i].from / 60, w->sp[d][i].from % 60,
                           w->sp[d][i].to / 60, w->sp[d][i].to % 60);
        if(rc)
            return rc;
    }
    return 0;
}

/* The week in OSM syntax into b. CD_EINVALID when it opens nowhere. */
static int write_week(struct cd_buf *b, struct week *w)
{
    unsigned done = 0, mask;
    int d, e, rc, open = 0;

    for(d = 0; d < NDAYS; d++) {
        if(w->off[d])
            w->n[d] = 0;
        qsort(w->sp[d], (size_t)w->n[d], sizeof(struct span), cmp_span);
        open |= w->n[d] > 0;
    }
    if(!open)
        return CD_EINVALID;       /* "Mittwoch Ruhetag" alone says little */
    for(d = 0; d < 7; d++) {
        if(w->n[d] != 1 || w->sp[d][0].from != 0 ||
           w->sp[d][0].to != 24 * 60)
            break;
    }
    if(d == 7 && !w->n[DAY_PH] && !w->off[DAY_PH])
        return cd_buf_puts(b, "24/7");
    for(d = 0; d < 7; d++) {
        if((done & (1u << d)) || (!w->n[d] && !w->off[d]))
            continue;
        mask = 0;
        for(e = d; e < 7; e++) {
            if(!(done & (1u << e)) && same_spans(w, d, e))
                mask |= 1u << e;
        }
        done |= mask;
        rc = cd_buf_puts(b, b->len ? "; " : "");
        if(!rc)
            rc = put_days(b, mask);
        if(!rc)
            rc = cd_buf_putc(b, ' ');
        if(!rc)
            rc = put_spans(b, w, d);
        if(rc)
            return rc;
    }
    if(w->n[DAY_PH] || w->off[DAY_PH]) {
        rc = cd_buf_puts(b, "; PH ");
        if(!rc)
            rc = put_spans(b, w, DAY_PH);
        if(rc)
            return rc;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */

/* Whole-text phrases that mean "always open", lower case. */
static const char *const always[] = {
    "24/7", "24/7 ge\xc3\xb6" "ffnet", "durchgehend ge\xc3\xb6" "ffnet",
    "rund um die uhr", "rund um die uhr ge\xc3\xb6" "ffnet",
    "t\xc3\xa4glich rund um die uhr", "t\xc3\xa4glich 24 stunden",
    "t\xc3\xa4glich 24 stunden ge\xc3\xb6" "ffnet", "24 stunden ge\xc3\xb6"
    "ffnet", "24 stunden", "24h", "24 h", "immer ge\xc3\xb6" "ffnet",
    "nonstop ge\xc3\xb6" "ffnet", "nonstop", "rund um die uhr, 7 tage die "
    "woche", "24 stunden, 7 tage die woche", NULL};

/* Skip a leading "Öffnungszeiten:" in the lower-case text s. */
static const char *skip_label(const char *s)
{
    static const char *const labels[] = {
        "\xc3\xb6" "ffnungszeiten", "\xc3\xb6" "ffnungszeit",
        "oeffnungszeiten", "ge\xc3\xb6" "ffnet", NULL};
    size_t i, k;

    for(i = 0; labels[i]; i++) {
        k = strlen(labels[i]);
        if(!strncmp(s, labels[i], k) && (s[k] == ':' || s[k] == ' ')) {
            s += k;
            while(*s == ' ' || *s == ':')
                s++;
            return s;
        }
    }
    return s;
}

/*
 * Convert opening hours to OSM syntax. 0 and a malloc'd string,
 * CD_EINVALID when s cannot be read fully, or CD_ENOMEM.
 */
int cd_norm_hours(char **out, const char *s)
{
    struct tok toks[MAX_TOKENS];
    struct cd_buf b = CD_BUF_INIT(CD_MAX_FIELD);
    struct week *w = NULL;
    char *t = NULL, *l = NULL;
    const char *p;
    size_t n;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    n = strlen(t);
    while(n > 1 && (t[n - 1] == ',' || t[n - 1] == ';' || t[n - 1] == ' '))
        t[--n] = '\0';                 /* "Mo-Fr 09:00-18:00;" */
    if(cd_norm_hours_valid(t)) {
        *out = t;
        return 0;
    }
    l = cd_norm_lower(t);
    w = malloc(sizeof(*w));
    if(!l || !w) {
        rc = CD_ENOMEM;
        goto out;
    }
    p = skip_label(l);
    n = strlen(p);
    while(n > 0 && (p[n - 1] == '.' || p[n - 1] == ' '))
        n--;
    if(cd_norm_word_index(p, n, always) >= 0) {
        rc = cd_buf_puts(&b, "24/7");
    }
    else {
        rc = tokenize(toks, MAX_TOKENS, p);
        if(!rc)
            rc = parse(w, toks);
        if(!rc)
            rc = write_week(&b, w);
    }
    if(rc)
        goto out;
    if(!cd_norm_hours_valid(cd_buf_str(&b))) {
        rc = CD_EINVALID;               /* a bug: never write bad syntax */
        goto out;
    }
    *out = cd_buf_detach(&b);
    if(!*out)
        rc = CD_ENOMEM;
out:
    cd_buf_dispose(&b);
    free(w);
    free(l);
    free(t);
    return rc;
}
