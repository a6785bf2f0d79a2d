/* SPDX-License-Identifier: MIT */
/*
 * robots.txt after RFC 9309 (see robots.h): the reader, which keeps only
 * the rules of the group that applies to us; the matcher, with `*` and `$`
 * and "longest match wins"; and the per-crawl cache of rules by origin, a
 * short list searched linearly (a crawl talks to a handful of hosts).
 *
 * Paths and patterns are compared as octets after the same normalisation:
 * bytes outside printable US-ASCII are percent-encoded and the hex digits
 * of every %XX are upper-cased, so "/ä" in a file matches "/%C3%A4" in a
 * URL. Matching never backtracks: it keeps the set of positions the
 * pattern can have reached in the path (as Google's robots parser does),
 * so a hostile pattern costs at most pattern length times path length.
 *
 * Divisions: rules, reading, matching, URLs, the cache.
 */
#include "crawler/robots.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"

#define MAX_RULES   20000  /* per group set; more are ignored */
#define MAX_PATTERN 2048   /* longest pattern kept, normalised */
#define MAX_PATH    8192   /* longest path matched; longer is cut */

struct rule {
    char *pat;       /* normalised pattern */
    size_t len;      /* its length: the "longest match" measure */
    int allow;       /* Allow (1) or Disallow (0) */
};

struct rules {
    struct rule *v;
    size_t n, cap;
    int64_t delay_ms;  /* Crawl-delay, -1 when none */
};

struct cd_robots {
    struct rules r;              /* the group(s) that apply */
    struct cd_strlist sitemaps;  /* Sitemap: lines */
    int disallow_all;            /* 5xx or unreachable */
    char *why;                   /* for disallow_all; MAY be NULL */
};

/* ---- rules ------------------------------------------------------------- */

static void rules_dispose(struct rules *r)
{
    size_t i;

    for(i = 0; i < r->n; i++)
        free(r->v[i].pat);
    CD_FREE(r->v);
    r->n = r->cap = 0;
}

/* Percent-encode what is not printable ASCII and upper-case the hex of
 * every %XX, into a new string of at most `max` bytes. */
static char *normalise(const char *s, size_t n, size_t max)
{
    static const char hex[] = "0123456789ABCDEF";
    struct cd_buf b = CD_BUF_INIT(max + 4);
    size_t i;
    int rc = 0;

    for(i = 0; i < n && !rc && b.len < max; i++) {
        unsigned char c = (unsigned char)s[i];

        if(c == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
           isxdigit((unsigned char)s[i + 2])) {
            char t[3] = { '%', (char)toupper((unsigned char)s[i + 1]),
                          (char)toupper((unsigned char)s[i + 2]) };

            rc = cd_buf_put(&b, t, 3);
            i += 2;
        } else if(c <= 0x20 || c >= 0x7f) {
            char t[3] = { '%', hex[c >> 4], hex[c & 15] };

            rc = cd_buf_put(&b, t, 3);
        } else {
            rc = cd_buf_put(&b, (const char *)&c, 1);
        }
    }
    if(!rc && !b.len)
        rc = cd_buf_put(&b, "", 0);
    if(rc) {
        cd_buf_dispose(&b);
        return NULL;
    }
    return cd_buf_detach(&b);
}

/* Add a rule; a pattern that starts with neither '/' nor '*' gets a '/'
 * in front (what most crawlers do). 0 or CD_ENOMEM. */
static int rules_add(struct rules *r, const char *v, size_t n, int allow)
{
    struct rule *nv;
    char *pat, *p;

    if(!n || r->n >= MAX_RULES)
        return 0;
    pat = normalise(v, n, MAX_PATTERN);
    if(!pat)
        return CD_ENOMEM;
    if(pat[0] != '/' && pat[0] != '*') {
        size_t l = strlen(pat);

        p = malloc(l + 2);
        if(!p) {
            free(pat);
            return CD_ENOMEM;
        }
        p[0] = '/';
        memcpy(p + 1, pat, l + 1);
        free(pat);
        pat = p;
    }
    if(r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;

        nv = realloc(r->v, cap * sizeof(*nv));
        if(!nv) {
            free(pat);
            return CD_ENOMEM;
        }
        r->v = nv;
        r->cap = cap;
    }
    r->v[r->n].pat = pat;
    r->v[r->n].len = strlen(pat);
    r->v[r->n].allow = allow;
    r->n++;
    return 0;
}

int cd_robots_new(struct cd_robots **out, enum cd_robots_kind kind,
                  const char *why)
{
    struct cd_robots *r = calloc(1, sizeof(*r));

    *out = NULL;
    if(!r)
        return CD_ENOMEM;
    r->r.delay_ms = -1;
    r->disallow_all = kind == CD_ROBOTS_DISALLOW_ALL;
    if(why) {
        r->why = strdup(why);
        if(!r->why) {
            free(r);
            return CD_ENOMEM;
        }
    }
    *out = r;
    return 0;
}

void cd_robots_free(struct cd_robots *r)
{
    if(!r)
        return;
    rules_dispose(&r->r);
    cd_strlist_dispose(&r->sitemaps);
    free(r->why);
    free(r);
}

/* ---- reading ----------------------------------------------------------- */

enum key {
    K_OTHER,
    K_AGENT,
    K_ALLOW,
    K_DISALLOW,
    K_DELAY,
    K_SITEMAP,
};

/* The key of a line, accepting the usual misspellings. */
static enum key key_of(const char *k, size_t n)
{
    static const struct {
        const char *name;
        enum key key;
    } keys[] = {
        { "user-agent", K_AGENT },   { "useragent", K_AGENT },
        { "user agent", K_AGENT },   { "allow", K_ALLOW },
        { "disallow", K_DISALLOW },  { "dissallow", K_DISALLOW },
        { "dissalow", K_DISALLOW },  { "disalow", K_DISALLOW },
        { "crawl-delay", K_DELAY },  { "crawldelay", K_DELAY },
        { "sitemap", K_SITEMAP },    { "site-map", K_SITEMAP },
    };
    size_t i;

    for(i = 0; i < CD_ARRAY_SIZE(keys); i++)
        if(strlen(keys[i].name) == n && !strncasecmp(keys[i].name, k, n))
            return keys[i].key;
    return K_OTHER;
}

/* Whether a User-agent value names `agent`: its first token (letters, '_'
 * and '-') equals it, case-insensitively. */
static int names_agent(const char *v, size_t n, const char *agent)
{
    size_t t = 0, al = strlen(agent);

    while(t < n && (isalpha((unsigned char)v[t]) || v[t] == '_' ||
                    v[t] == '-'))
        t++;
    return t == al && !strncasecmp(v, agent, al);
}

/* Crawl-delay seconds ("2", "0.5") as ms, or -1 when not a number. */
static int64_t delay_of(const char *v, size_t n)
{
    int64_t ms = 0, frac = 100;
    size_t i = 0;

    if(!n || !(isdigit((unsigned char)v[0]) || v[0] == '.'))
        return -1;
    for(; i < n && isdigit((unsigned char)v[i]); i++)
        if(ms < CD_ROBOTS_MAX_DELAY_MS)
            ms = ms * 10 + (v[i] - '0') * 1000;
    if(i < n && v[i] == '.')
        for(i++; i < n && isdigit((unsigned char)v[i]); i++) {
            ms += (v[i] - '0') * frac;
            frac /= 10;
        }
    if(i < n)
        return -1;
    return ms < CD_ROBOTS_MAX_DELAY_MS ? ms : CD_ROBOTS_MAX_DELAY_MS;
}

/* What reading has found so far. */
struct reader {
    const char *agent;
    struct rules mine;   /* groups naming the agent, merged */
    struct rules star;   /* `*` groups, merged */
    int seen_mine;       /* some group named the agent */
    int in_agents;       /* the last group line was a User-agent */
    int cur_mine;        /* the group being read names the agent */
    int cur_star;        /* ... or `*` */
};

/* Handle one "key: value" line (comment and blanks already cut). */
static int read_line(struct reader *rd, struct cd_robots *out, enum key k,
                     const char *v, size_t n)
{
    int rc = 0;

    switch(k) {
    case K_AGENT:
        if(!rd->in_agents) {
            rd->cur_mine = rd->cur_star = 0;
            rd->in_agents = 1;
        }
        if(names_agent(v, n, rd->agent)) {
            rd->cur_mine = 1;
            rd->seen_mine = 1;
        }
        if(n == 1 && v[0] == '*')
            rd->cur_star = 1;
        break;
    case K_ALLOW:
    case K_DISALLOW:
        rd->in_agents = 0;
        if(rd->cur_mine)
            rc = rules_add(&rd->mine, v, n, k == K_ALLOW);
        if(!rc && rd->cur_star)
            rc = rules_add(&rd->star, v, n, k == K_ALLOW);
        break;
    case K_DELAY:
        rd->in_agents = 0;
        if(rd->cur_mine && rd->mine.delay_ms < 0)
            rd->mine.delay_ms = delay_of(v, n);
        if(rd->cur_star && rd->star.delay_ms < 0)
            rd->star.delay_ms = delay_of(v, n);
        break;
    case K_SITEMAP:
        if(n && out->sitemaps.n < 1000)
            rc = cd_strlist_add(&out->sitemaps, v, n);
        break;
    case K_OTHER:
        break;
    }
    return rc ? CD_ENOMEM : 0;
}

int cd_robots_parse(struct cd_robots **out, const char *body, size_t len,
                    const char *agent)
{
    struct reader rd;
    const char *p = body, *end;
    int rc;

    memset(&rd, 0, sizeof(rd));
    rd.agent = agent ? agent : CD_ROBOTS_AGENT;
    rd.mine.delay_ms = rd.star.delay_ms = -1;
    rc = cd_robots_new(out, CD_ROBOTS_ALLOW_ALL, NULL);
    if(rc)
        return rc;
    if(len > CD_ROBOTS_MAX_BYTES)
        len = CD_ROBOTS_MAX_BYTES;
    end = body + len;
    /* a UTF-8 byte order mark is not part of the first key */
    if(len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;
    while(!rc && p < end) {
        const char *eol = p, *colon, *hash, *k, *v, *ke, *ve;

        while(eol < end && *eol != '\n' && *eol != '\r')
            eol++;
        hash = memchr(p, '#', (size_t)(eol - p));
        ve = hash ? hash : eol;
        colon = memchr(p, ':', (size_t)(ve - p));
        if(colon) {
            k = p;
            ke = colon;
            while(k < ke && isspace((unsigned char)*k))
                k++;
            while(ke > k && isspace((unsigned char)ke[-1]))
                ke--;
            v = colon + 1;
            while(v < ve && isspace((unsigned char)*v))
                v++;
            while(ve > v && isspace((unsigned char)ve[-1]))
                ve--;
            rc = read_line(&rd, *out, key_of(k, (size_t)(ke - k)), v,
                           (size_t)(ve - v));
        }
        p = eol < end ? eol + 1 : end;
    }
    if(rc) {
        rules_dispose(&rd.mine);
        rules_dispose(&rd.star);
        cd_robots_free(*out);
        *out = NULL;
        return rc;
    }
    if(rd.seen_mine) {
        (*out)->r = rd.mine;
        rules_dispose(&rd.star);
    } else {
        (*out)->r = rd.star;
        rules_dispose(&rd.mine);
    }
    return 0;
}

/* ---- matching ---------------------------------------------------------- */

/*
 * Whether pattern `pat` matches the start of path (n bytes): `*` matches
 * any run, `$` at the end of the pattern matches the end of the path.
 * pos is scratch space for n + 1 positions.
 */
static int match(const char *path, size_t n, const char *pat, size_t *pos)
{
    size_t npos = 1, i, k;

    pos[0] = 0;
    for(; *pat; pat++) {
        if(*pat == '$' && !pat[1])
            return pos[npos - 1] == n;
        if(*pat == '*') {
            npos = n - pos[0] + 1;
            for(i = 1; i < npos; i++)
                pos[i] = pos[0] + i;
            continue;
        }
        for(i = k = 0; i < npos; i++)
            if(pos[i] < n && path[pos[i]] == *pat)
                pos[k++] = pos[i] + 1;
        if(!k)
            return 0;
        npos = k;
    }
    return 1;
}

int cd_robots_allowed(const struct cd_robots *r, const char *path)
{
    size_t best = 0, i, n, *pos;
    char *norm;
    int allow = 1, found = 0;

    if(!r)
        return 1;
    if(!path || !*path)
        path = "/";
    if(!strcmp(path, "/robots.txt"))
        return 1;
    if(r->disallow_all)
        return 0;
    if(!r->r.n)
        return 1;
    norm = normalise(path, strlen(path), MAX_PATH);
    n = norm ? strlen(norm) : 0;
    pos = norm ? malloc((n + 1) * sizeof(*pos)) : NULL;
    if(!pos) {
        /* out of memory: the safe answer for the site is "no" */
        free(norm);
        return 0;
    }
    for(i = 0; i < r->r.n; i++) {
        const struct rule *ru = &r->r.v[i];

        if(found && (ru->len < best || (ru->len == best && !ru->allow)))
            continue;
        if(!match(norm, n, ru->pat, pos))
            continue;
        if(!found || ru->len > best || ru->allow)
            allow = ru->allow;
        best = ru->len;
        found = 1;
    }
    free(pos);
    free(norm);
    return allow;
}

int64_t cd_robots_delay_ms(const struct cd_robots *r)
{
    return r ? r->r.delay_ms : -1;
}

const struct cd_strlist *cd_robots_sitemaps(const struct cd_robots *r)
{
    return &r->sitemaps;
}

const char *cd_robots_why(const struct cd_robots *r)
{
    return r && r->disallow_all ? (r->why ? r->why : "robots.txt") : NULL;
}

/* ---- URLs -------------------------------------------------------------- */

int cd_robots_split(char **out_origin, char **out_path, const char *url)
{
    const char *p, *auth, *end, *at;
    size_t sl, i;
    char *o;

    *out_origin = *out_path = NULL;
    if(!strncasecmp(url, "http://", 7))
        sl = 4;
    else if(!strncasecmp(url, "https://", 8))
        sl = 5;
    else
        return CD_EINVALID;
    auth = url + sl + 3;
    end = auth + strcspn(auth, "/?#");
    at = memchr(auth, '@', (size_t)(end - auth));
    if(at)
        auth = at + 1;
    if(end == auth)
        return CD_EINVALID;
    o = malloc(sl + 3 + (size_t)(end - auth) + 1);
    if(!o)
        return CD_ENOMEM;
    for(i = 0; i < sl; i++)
        o[i] = (char)tolower((unsigned char)url[i]);
    memcpy(o + sl, "://", 3);
    for(i = 0; auth + i < end; i++)
        o[sl + 3 + i] = (char)tolower((unsigned char)auth[i]);
    o[sl + 3 + i] = '\0';
    p = end;
    if(*p == '#' || !*p) {
        *out_path = strdup("/");
    } else {
        size_t n = strcspn(p, "#");

        if(*p == '?') {
            *out_path = malloc(n + 2);
            if(*out_path) {
                (*out_path)[0] = '/';
                memcpy(*out_path + 1, p, n);
                (*out_path)[n + 1] = '\0';
            }
        } else {
            *out_path = strndup(p, n);
        }
    }
    if(!*out_path) {
        free(o);
        return CD_ENOMEM;
    }
    *out_origin = o;
    return 0;
}

/* ---- the cache --------------------------------------------------------- */

struct entry {
    char *origin;
    struct cd_robots *rules;  /* NULL until known */
    int pending;              /* being fetched */
    unsigned tries;           /* fetches started */
};

struct cd_robots_cache {
    struct entry *v;
    size_t n, cap;
};

int cd_robots_cache_new(struct cd_robots_cache **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : CD_ENOMEM;
}

void cd_robots_cache_free(struct cd_robots_cache *c)
{
    size_t i;

    if(!c)
        return;
    for(i = 0; i < c->n; i++) {
        free(c->v[i].origin);
        cd_robots_free(c->v[i].rules);
    }
    free(c->v);
    free(c);
}

static struct entry *cache_find(const struct cd_robots_cache *c,
                                const char *origin)
{
    size_t i;

    for(i = 0; i < c->n; i++)
        if(!strcmp(c->v[i].origin, origin))
            return &c->v[i];
    return NULL;
}

enum cd_robots_state cd_robots_cache_get(const struct cd_robots **rules,
                                         const struct cd_robots_cache *c,
                                         const char *origin)
{
    const struct entry *e = cache_find(c, origin);

    if(rules)
        *rules = e ? e->rules : NULL;
    if(!e)
        return CD_ROBOTS_UNKNOWN;
    if(e->rules)
        return CD_ROBOTS_READY;
    return e->pending ? CD_ROBOTS_PENDING : CD_ROBOTS_UNKNOWN;
}

/* The entry of origin, added when missing; NULL when memory is out. */
static struct entry *cache_add(struct cd_robots_cache *c, const char *origin)
{
    struct entry *e = cache_find(c, origin), *nv;

    if(e)
        return e;
    if(c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;

        nv = realloc(c->v, cap * sizeof(*nv));
        if(!nv)
            return NULL;
        c->v = nv;
        c->cap = cap;
    }
    e = &c->v[c->n];
    memset(e, 0, sizeof(*e));
    e->origin = strdup(origin);
    if(!e->origin)
        return NULL;
    c->n++;
    return e;
}

int cd_robots_cache_pending(struct cd_robots_cache *c, const char *origin)
{
    struct entry *e = cache_add(c, origin);

    if(!e)
        return CD_ENOMEM;
    e->pending = 1;
    e->tries++;
    return 0;
}

void cd_robots_cache_retry(struct cd_robots_cache *c, const char *origin)
{
    struct entry *e = cache_find(c, origin);

    if(e)
        e->pending = 0;
}

unsigned cd_robots_cache_tries(const struct cd_robots_cache *c,
                               const char *origin)
{
    const struct entry *e = cache_find(c, origin);

    return e ? e->tries : 0;
}

int cd_robots_cache_put(struct cd_robots_cache *c, const char *origin,
                        struct cd_robots *rules)
{
    struct entry *e = cache_add(c, origin);

    if(!e) {
        cd_robots_free(rules);
        return CD_ENOMEM;
    }
    cd_robots_free(e->rules);
    e->rules = rules;
    e->pending = 0;
    return 0;
}
