/* SPDX-License-Identifier: MIT */
/*
 * json: selectors on jansson values (select/json.h). Divisions: the text
 * of scalars, parsing a path into steps, walking the steps, evaluation.
 *
 * A path is parsed on each use: paths are a few bytes long, and this keeps
 * the compiled selector (select/selector.c) free of a jansson dependency.
 * `citydir check` calls cd_json_path_check() through the parsers' checks,
 * so a bad path is still an error at load time.
 */
#include "select/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum step_kind {
    STEP_KEY,     /* member `key` of an object */
    STEP_INDEX,   /* element `index` of an array */
    STEP_ALL,     /* every element or member value */
    STEP_FILTER,  /* elements whose member `key` has text `value` */
    STEP_SELF,    /* the context itself */
};

struct step {
    enum step_kind kind;
    const char *key;    /* STEP_KEY, STEP_FILTER: into the path copy */
    size_t keylen;
    const char *value;  /* STEP_FILTER */
    size_t valuelen;
    long index;         /* STEP_INDEX */
};

struct path {
    char *buf;          /* a copy of the path that steps point into */
    struct step steps[CD_JSON_PATH_MAX_STEPS];
    size_t n;
};

/* ---- the text of scalars ---------------------------------------------- */

/* The shortest "%.Ng" that reads back as d. */
static void format_real(char buf[CD_JSON_SCALAR_MAX], double d)
{
    int prec;

    for(prec = 1; prec <= 17; prec++) {
        snprintf(buf, CD_JSON_SCALAR_MAX, "%.*g", prec, d);
        if(strtod(buf, NULL) == d)
            return;
    }
}

int cd_json_scalar_text(const char **out, size_t *outlen,
                        char buf[CD_JSON_SCALAR_MAX], const json_t *v)
{
    *out = NULL;
    *outlen = 0;
    if(!v)
        return 0;
    switch(json_typeof(v)) {
    case JSON_STRING:
        *out = json_string_value(v);
        *outlen = json_string_length(v);
        return 1;
    case JSON_INTEGER:
        snprintf(buf, CD_JSON_SCALAR_MAX, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        break;
    case JSON_REAL:
        format_real(buf, json_real_value(v));
        break;
    case JSON_TRUE:
        snprintf(buf, CD_JSON_SCALAR_MAX, "true");
        break;
    case JSON_FALSE:
        snprintf(buf, CD_JSON_SCALAR_MAX, "false");
        break;
    default:
        return 0;
    }
    *out = buf;
    *outlen = strlen(buf);
    return 1;
}

char *cd_json_text_dup(const json_t *v)
{
    char buf[CD_JSON_SCALAR_MAX];
    const char *t;
    size_t n;
    char *r;

    if(!cd_json_scalar_text(&t, &n, buf, v))
        return NULL;
    r = malloc(n + 1);
    if(r) {
        memcpy(r, t, n);
        r[n] = '\0';
    }
    return r;
}

/* ---- parsing ---------------------------------------------------------- */

static int bad(struct cd_error *err, const char *path, size_t at,
               const char *what)
{
    return cd_error_set(err, CD_EINVALID, "bad JSON path '%s': %s at "
                        "character %zu", path, what, at + 1);
}

/* Strip blanks around n bytes at *s; a quoted text loses its quotes. */
static void trim(const char **s, size_t *n)
{
    while(*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while(*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
    if(*n >= 2 && (**s == '"' || **s == '\'') && (*s)[*n - 1] == **s) {
        (*s)++;
        *n -= 2;
    }
}

/* Parse the inside of [...] (n bytes at b, at offset `at` of the path). */
static int parse_bracket(struct step *st, const char *path, size_t at,
                         const char *b, size_t n, struct cd_error *err)
{
    const char *eq = NULL, *p;
    char num[32];
    char *end;
    size_t i;

    trim(&b, &n);
    if(!n)
        return bad(err, path, at, "empty []");
    if(n == 1 && *b == '*') {
        st->kind = STEP_ALL;
        return 0;
    }
    if(b > path + at && (b[-1] == '"' || b[-1] == '\'')) {
        st->kind = STEP_KEY;  /* a quoted name: taken as written */
        st->key = b;
        st->keylen = n;
        return 0;
    }
    for(i = 0; i < n; i++) {
        if(b[i] == '=') {
            eq = b + i;
            break;
        }
    }
    if(eq) {
        st->kind = STEP_FILTER;
        st->key = b;
        st->keylen = (size_t)(eq - b);
        trim(&st->key, &st->keylen);
        st->value = eq + 1;
        st->valuelen = n - (size_t)(eq + 1 - b);
        trim(&st->value, &st->valuelen);
        if(!st->keylen)
            return bad(err, path, at, "no member name before '='");
        return 0;
    }
    for(p = b; p < b + n; p++)
        if(!((*p >= '0' && *p <= '9') || (p == b && *p == '-')))
            return bad(err, path, at, "expected a number, *, a quoted "
                       "name or key=value inside []");
    if(n >= sizeof(num))
        return bad(err, path, at, "index too long");
    memcpy(num, b, n);
    num[n] = '\0';
    errno = 0;
    st->index = strtol(num, &end, 10);
    if(errno || *end || end == num)
        return bad(err, path, at, "bad index");
    st->kind = STEP_INDEX;
    return 0;
}

/* Find the ']' closing the bracket at path[i] ('['), minding quotes. */
static size_t close_bracket(const char *path, size_t i)
{
    char q = 0;

    for(i++; path[i]; i++) {
        if(q) {
            if(path[i] == q)
                q = 0;
        } else if(path[i] == '"' || path[i] == '\'') {
            q = path[i];
        } else if(path[i] == ']') {
            return i;
        }
    }
    return 0;
}

static int path_parse(struct path *pp, const char *path,
                      struct cd_error *err)
{
    const char *s;
    size_t i = 0, j, len = strlen(path);
    struct step *st;
    int rc;

    memset(pp, 0, sizeof(*pp));
    pp->buf = strdup(path);
    if(!pp->buf)
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    s = pp->buf;
    if(!len)
        return bad(err, path, 0, "empty path");
    if(!strcmp(s, "@") || !strcmp(s, "$")) {
        pp->steps[0].kind = STEP_SELF;
        pp->n = 1;
        return 0;
    }
    if(s[0] == '$' && s[1] == '.')
        i = 2;  /* "$.a.b" as JSONPath users write it */
    while(i < len) {
        if(pp->n == CD_JSON_PATH_MAX_STEPS)
            return bad(err, path, i, "too many steps");
        st = &pp->steps[pp->n];
        if(s[i] == '[') {
            j = close_bracket(s, i);
            if(!j)
                return bad(err, path, i, "missing ]");
            rc = parse_bracket(st, s, i, s + i + 1, j - i - 1, err);
            if(rc)
                return rc;
            pp->n++;
            i = j + 1;
            if(i < len && s[i] == '.') {
                i++;
                if(i == len)
                    return bad(err, path, i - 1, "nothing after '.'");
            }
            continue;
        }
        for(j = i; j < len && s[j] != '.' && s[j] != '['; j++)
            ;
        if(j == i)
            return bad(err, path, i, "empty member name");
        if(j - i == 1 && s[i] == '*') {
            st->kind = STEP_ALL;
        } else {
            st->kind = STEP_KEY;
            st->key = s + i;
            st->keylen = j - i;
        }
        pp->n++;
        i = j;
        if(i < len && s[i] == '.') {
            i++;
            if(i == len)
                return bad(err, path, i - 1, "nothing after '.'");
        }
    }
    return 0;
}

int cd_json_path_check(const char *path, struct cd_error *err)
{
    struct path pp;
    int rc = path_parse(&pp, path, err);

    free(pp.buf);
    return rc;
}

/* ---- walking ---------------------------------------------------------- */

struct walk {
    const struct path *pp;
    cd_json_node_fn *cb;
    void *payload;
};

/* Whether the member `key` of object o has the text `value`. */
static int filter_match(const struct step *st, json_t *o)
{
    char buf[CD_JSON_SCALAR_MAX];
    const char *t;
    size_t n;
    json_t *m;

    if(!json_is_object(o))
        return 0;
    m = json_object_getn(o, st->key, st->keylen);
    if(!cd_json_scalar_text(&t, &n, buf, m))
        return 0;
    return n == st->valuelen && !memcmp(t, st->value, n);
}

/* Apply steps k.. to v. Returns non-zero to stop. */
static int walk(const struct walk *w, size_t k, json_t *v)
{
    const struct step *st;
    const char *key;
    json_t *c;
    size_t i, n;
    long idx;

    if(k == w->pp->n)
        return w->cb(v, w->payload) ? CD_EUSER : 0;
    st = &w->pp->steps[k];
    switch(st->kind) {
    case STEP_SELF:
        return walk(w, k + 1, v);
    case STEP_KEY:
        c = json_is_object(v) ? json_object_getn(v, st->key, st->keylen)
                              : NULL;
        return c ? walk(w, k + 1, c) : 0;
    case STEP_INDEX:
        if(!json_is_array(v))
            return 0;
        n = json_array_size(v);
        idx = st->index < 0 ? (long)n + st->index : st->index;
        if(idx < 0 || (size_t)idx >= n)
            return 0;
        return walk(w, k + 1, json_array_get(v, (size_t)idx));
    case STEP_ALL:
        if(json_is_array(v)) {
            json_array_foreach(v, i, c) {
                int rc = walk(w, k + 1, c);

                if(rc)
                    return rc;
            }
        } else if(json_is_object(v)) {
            json_object_foreach(v, key, c) {
                int rc = walk(w, k + 1, c);

                if(rc)
                    return rc;
            }
        }
        return 0;
    case STEP_FILTER:
        if(!json_is_array(v))
            return 0;
        json_array_foreach(v, i, c) {
            int rc;

            if(!filter_match(st, c))
                continue;
            rc = walk(w, k + 1, c);
            if(rc)
                return rc;
        }
        return 0;
    }
    return 0;
}

int cd_json_path_walk(const char *path, json_t *ctx, cd_json_node_fn *cb,
                      void *payload, struct cd_error *err)
{
    struct path pp;
    struct walk w;
    int rc;

    rc = path_parse(&pp, path, err);
    if(!rc && ctx) {
        w.pp = &pp;
        w.cb = cb;
        w.payload = payload;
        rc = walk(&w, 0, ctx);
    }
    free(pp.buf);
    return rc;
}

/* ---- evaluation ------------------------------------------------------- */

struct eval {
    const struct cd_selector *s;
    cd_value_fn *cb;
    void *payload;
    int rc;  /* from cd_selector_finish_value */
};

static int deliver(struct eval *e, const json_t *v)
{
    char buf[CD_JSON_SCALAR_MAX];
    const char *t;
    size_t n;

    if(!cd_json_scalar_text(&t, &n, buf, v))
        return 0;
    e->rc = cd_selector_finish_value(e->s, t, n, e->cb, e->payload);
    return e->rc;
}

static int on_node(json_t *node, void *payload)
{
    struct eval *e = payload;
    json_t *c;
    size_t i;

    if(!json_is_array(node))
        return deliver(e, node);
    json_array_foreach(node, i, c) {
        if(deliver(e, c))
            return 1;
    }
    return 0;
}

int cd_selector_eval_json(const struct cd_selector *s, json_t *ctx,
                          cd_value_fn *cb, void *payload,
                          struct cd_error *err)
{
    struct eval e;
    int rc;

    if(cd_selector_kind(s) != CD_SEL_JSON)
        return cd_error_set(err, CD_EINVALID,
                            "selector '%s' does not apply to JSON",
                            cd_selector_text(s));
    e.s = s;
    e.cb = cb;
    e.payload = payload;
    e.rc = 0;
    rc = cd_json_path_walk(cd_selector_expr(s), ctx, on_node, &e, err);
    if(e.rc)
        rc = e.rc;
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "out of memory");
    return rc;
}
