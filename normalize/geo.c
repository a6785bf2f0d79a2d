/* SPDX-License-Identifier: MIT */
/*
 * Coordinates: one latitude or longitude as sources write it.
 *
 * Read: "51.1705", "51,1705" (decimal comma), "+7.08", "-7.08" (also with
 * U+2212 minus), "51.1705°", "7.0838° E", "N 51.1705", and degrees,
 * minutes, seconds ("51°10'13.8\"N", "51° 10′ 13.8″ N"). The hemisphere
 * letters are N/S for a latitude and E/W (or German O for Ost) for a
 * longitude. The number is read by hand, not with strtod(), so the
 * process locale cannot change what a comma or a point means.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "normalize/normalize.h"

/* Significant digits kept; below 2^53, so the division is exact enough. */
#define MAX_DIGITS 15

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/*
 * A decimal number at *p: digits, then "." or "," and digits. Moves *p
 * past it. 0 or CD_EINVALID. *frac says whether it had a fraction.
 */
static int read_number(double *out, const char **p, int *frac)
{
    const char *s = *p;
    double mant = 0, scale = 1;
    int nd = 0, ni = 0;

    *frac = 0;
    while(is_digit(*s)) {
        if(++ni > 3)
            return CD_EINVALID;      /* no coordinate needs 4 digits */
        mant = mant * 10 + (*s - '0');
        nd++;
        s++;
    }
    if(ni && (*s == '.' || *s == ',') && is_digit(s[1])) {
        *frac = 1;
        s++;
        while(is_digit(*s)) {
            if(nd < MAX_DIGITS) {
                mant = mant * 10 + (*s - '0');
                scale *= 10;
                nd++;
            }
            s++;
        }
    }
    if(!ni)
        return CD_EINVALID;
    *out = mant / scale;
    *p = s;
    return 0;
}

/* Skip ASCII spaces. */
static const char *skip_sp(const char *s)
{
    while(*s == ' ')
        s++;
    return s;
}

/*
 * A hemisphere letter at *p: +1 or -1 and *p moved past it, or 0 when
 * none. *wrong is set when it is a letter of the other axis.
 */
static int hemisphere(const char **p, int is_lat, int *wrong)
{
    const char *s = *p;
    int c = *s, sign, lat;

    if(!c || (s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= 'a' && s[1] <= 'z'))
        return 0;                                  /* a word, not a letter */
    switch(c) {
    case 'N': case 'n': lat = 1; sign = 1; break;
    case 'S': case 's': lat = 1; sign = -1; break;
    case 'E': case 'e': case 'O': case 'o': lat = 0; sign = 1; break;
    case 'W': case 'w': lat = 0; sign = -1; break;
    default: return 0;
    }
    if(lat != !!is_lat)
        *wrong = 1;
    *p = s + 1;
    return sign;
}

/* Skip one of the given marks at *p; 1 when one was there. */
static int skip_mark(const char **p, const char *const *marks)
{
    size_t i, k;

    for(i = 0; marks[i]; i++) {
        k = strlen(marks[i]);
        if(!strncmp(*p, marks[i], k)) {
            *p += k;
            return 1;
        }
    }
    return 0;
}

/*
 * Read a coordinate. 0 and *out set, CD_EINVALID when s is not one number
 * of this kind or lies out of range (is_lat: -90..90, else -180..180).
 */
int cd_norm_coord(double *out, const char *s, int is_lat)
{
    static const char *const deg[] = {"\xc2\xb0", "\xc2\xba", NULL};
    static const char *const min[] = {"'", "\xe2\x80\xb2", "\xe2\x80\x99",
                                      NULL};
    static const char *const sec[] = {"\"", "''", "\xe2\x80\xb3",
                                      "\xe2\x80\x9d", NULL};
    char *t = NULL;
    const char *p;
    double d, m = 0, sc = 0, v;
    int rc, neg = 0, h1 = 0, h2 = 0, wrong = 0, frac, ffrac;

    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    p = t;
    h1 = hemisphere(&p, is_lat, &wrong);
    p = skip_sp(p);
    if(*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    else if(!strncmp(p, "\xe2\x88\x92", 3)) {        /* U+2212 minus */
        neg = 1;
        p += 3;
    }
    rc = read_number(&d, &p, &ffrac);
    if(rc)
        goto out;
    if(skip_mark(&p, deg)) {
        p = skip_sp(p);
        if(is_digit(*p)) {
            if(ffrac || read_number(&m, &p, &frac) || m >= 60 ||
               !skip_mark(&p, min)) {
                rc = CD_EINVALID;
                goto out;
            }
            p = skip_sp(p);
            if(is_digit(*p)) {
                if(frac || read_number(&sc, &p, &frac) || sc >= 60 ||
                   !skip_mark(&p, sec)) {
                    rc = CD_EINVALID;
                    goto out;
                }
            }
        }
    }
    p = skip_sp(p);
    h2 = hemisphere(&p, is_lat, &wrong);
    p = skip_sp(p);
    if(*p || wrong || (h1 && h2) || (neg && (h1 || h2))) {
        rc = CD_EINVALID;
        goto out;
    }
    v = d + m / 60 + sc / 3600;
    if(neg || h1 < 0 || h2 < 0)
        v = -v;
    if(!isfinite(v) || fabs(v) > (is_lat ? 90.0 : 180.0)) {
        rc = CD_EINVALID;
        goto out;
    }
    *out = v;
out:
    free(t);
    return rc;
}
