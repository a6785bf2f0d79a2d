/* SPDX-License-Identifier: MIT */
/*
 * The tables of data/ that partner cities extend: street abbreviations
 * (data/street_abbrev.tsv) and the category map (data/categories.tsv).
 * They are the single source of truth: citydir has no built-in copy, so a
 * city that edits a line sees it take effect, and a missing file is an
 * error at start, not a silent fallback.
 *
 * The folder is found once, in this order: $CITYDIR_DATA; next to the
 * installed binary (<prefix>/bin/citydir reads <prefix>/share/citydir/data,
 * where `make install` copies data/); a data/ folder beside the binary or
 * its parent (a source tree: ./citydir or build/citydir); ./data. The
 * tables live for the whole process. Loading is not thread-safe; citydir
 * loads them before any work starts (cd_norm_data_init()), and the
 * normalisers load them on first use when nobody did (tests, `try`).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/error.h"
#include "core/util.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

/* Longest line of a table file. */
#define LINE_MAX_LEN 1024

static struct cd_norm_tables tables;  /* what was loaded, or empty */
static int tried;                     /* a load was attempted */
static char loaded_dir[PATH_MAX];     /* where from, "" when not loaded */

/* Free what the tables hold; they are empty afterwards. */
static void tables_dispose(struct cd_norm_tables *t)
{
    size_t i;

    for(i = 0; i < t->nabbrev; i++) {
        free(t->abbrev[i].end);
        free(t->abbrev[i].full);
        free(t->abbrev[i].word);
    }
    for(i = 0; i < t->ncat; i++) {
        free(t->cat[i].word);
        cd_strlist_dispose(&t->cat[i].tags);
    }
    free(t->abbrev);
    free(t->cat);
    memset(t, 0, sizeof(*t));
}

/*
 * Split a line (newline stripped) at tabs into at most max fields, in
 * place. Returns how many.
 */
static size_t split_tabs(char **f, size_t max, char *line)
{
    size_t n = 0;
    char *p = line, *t;

    while(n < max) {
        f[n++] = p;
        t = strchr(p, '\t');
        if(!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

/* Whether a line is a comment or empty. */
static int skip_line(const char *line)
{
    while(*line == ' ')
        line++;
    return *line == '#' || *line == '\0';
}

/* Read the next line into buf; strip "\r\n". 1 read, 0 at end, or
 * CD_ETOOBIG for a line longer than the buffer. */
static int read_line(char *buf, size_t size, FILE *f)
{
    size_t n;

    if(!fgets(buf, (int)size, f))
        return 0;
    n = strlen(buf);
    if(n == size - 1 && buf[n - 1] != '\n' && !feof(f))
        return CD_ETOOBIG;
    while(n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return 1;
}

/* Whether s (n bytes) looks like an OSM tag: key=value, no spaces. */
static int tag_ok(const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    size_t i;

    if(!eq || eq == s || eq == s + n - 1)
        return 0;
    for(i = 0; i < n; i++) {
        if(s[i] == ' ' || s[i] == '"')
            return 0;
    }
    return 1;
}

/* Append one category line's entry to t. */
static int cat_add(struct cd_norm_tables *t, char **f, size_t nf,
                   const char *path, unsigned line, struct cd_error *err)
{
    struct cd_norm_cat *c, *v;
    const char *p, *e;
    char *w = NULL;
    int rc;

    if(nf < 2 || !*f[0] || !*f[1])
        return cd_error_set(err, CD_EINVALID,
                            "%s:%u: want WORD <TAB> TAGS [<TAB> FLAGS]",
                            path, line);
    if(!strcmp(f[1], "-"))   /* a known word that means no one tag */
        f[1] = (char *)"";
    if(nf > 2 && *f[2] && strcmp(f[2], "suffix"))
        return cd_error_set(err, CD_EINVALID,
                            "%s:%u: unknown flag '%s' (only \"suffix\")",
                            path, line, f[2]);
    v = realloc(t->cat, (t->ncat + 1) * sizeof(*v));
    if(!v)
        return cd_error_set(err, CD_ENOMEM, "%s:%u: out of memory", path,
                            line);
    t->cat = v;
    c = &v[t->ncat];
    memset(c, 0, sizeof(*c));
    rc = cd_norm_fold_case(&w, f[0]);
    if(rc)
        return cd_error_set(err, rc, "%s:%u: word '%s' is not UTF-8 text",
                            path, line, f[0]);
    c->word = w;
    c->flags = (nf > 2 && !strcmp(f[2], "suffix")) ? CD_NORM_CAT_SUFFIX : 0;
    t->ncat++;
    for(p = f[1]; *p; p = *e ? e + 1 : e) {
        e = p + strcspn(p, ";");
        if(e == p)
            continue;
        if(!tag_ok(p, (size_t)(e - p)))
            return cd_error_set(err, CD_EINVALID,
                                "%s:%u: '%.*s' is not an OSM tag "
                                "(key=value)", path, line, (int)(e - p), p);
        if(cd_strlist_add(&c->tags, p, (size_t)(e - p)))
            return cd_error_set(err, CD_ENOMEM, "%s:%u: out of memory",
                                path, line);
    }
    return 0;
}

/* Append one abbreviation line's entry to t. */
static int abbrev_add(struct cd_norm_tables *t, char **f, size_t nf,
                      const char *path, unsigned line, struct cd_error *err)
{
    struct cd_norm_abbrev *a, *v;

    if(nf != 3 || !*f[0] || !*f[1] || !*f[2] || strchr(f[0], ' '))
        return cd_error_set(err, CD_EINVALID,
                            "%s:%u: want ENDING <TAB> INSIDE <TAB> WORD",
                            path, line);
    v = realloc(t->abbrev, (t->nabbrev + 1) * sizeof(*v));
    if(!v)
        return cd_error_set(err, CD_ENOMEM, "%s:%u: out of memory", path,
                            line);
    t->abbrev = v;
    a = &v[t->nabbrev];
    a->end = strdup(f[0]);
    a->full = strcmp(f[1], "-") ? strdup(f[1]) : NULL;
    a->word = strdup(f[2]);
    t->nabbrev++;
    if(!a->end || !a->word || (strcmp(f[1], "-") && !a->full))
        return cd_error_set(err, CD_ENOMEM, "%s:%u: out of memory", path,
                            line);
    return 0;
}

typedef int line_fn(struct cd_norm_tables *t, char **f, size_t nf,
                    const char *path, unsigned line, struct cd_error *err);

/* Read the table file dir/name line by line into t through fn. */
static int load_file(struct cd_norm_tables *t, const char *dir,
                     const char *name, line_fn *fn, struct cd_error *err)
{
    char path[PATH_MAX + 64], buf[LINE_MAX_LEN], *f[4];
    unsigned line = 0;
    FILE *fp;
    int rc = 0, r;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "r");
    if(!fp)
        return cd_error_set(err, CD_EIO, "%s: cannot open: %s", path,
                            "no such file or not readable");
    for(;;) {
        r = read_line(buf, sizeof(buf), fp);
        line++;
        if(r == 0)
            break;
        if(r < 0) {
            rc = cd_error_set(err, r, "%s:%u: line too long", path, line);
            break;
        }
        t->fingerprint = XXH3_64bits_withSeed(buf, strlen(buf),
                                              t->fingerprint);
        if(skip_line(buf))
            continue;
        rc = fn(t, f, split_tabs(f, CD_ARRAY_SIZE(f), buf), path, line,
                err);
        if(rc)
            break;
    }
    if(!rc && ferror(fp))
        rc = cd_error_set(err, CD_EIO, "%s: read error", path);
    fclose(fp);
    return rc;
}

/* Longer endings first, then file order (qsort is not stable). */
static int abbrev_cmp(const void *a, const void *b)
{
    const struct cd_norm_abbrev *x = a, *y = b;
    size_t nx = strlen(x->end), ny = strlen(y->end);

    if(nx != ny)
        return nx > ny ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

int cd_norm_data_load(const char *dir, struct cd_error *err)
{
    struct cd_norm_tables t;
    size_t i;
    int rc;

    memset(&t, 0, sizeof(t));
    rc = load_file(&t, dir, "street_abbrev.tsv", abbrev_add, err);
    if(!rc)
        rc = load_file(&t, dir, "categories.tsv", cat_add, err);
    if(rc) {
        tables_dispose(&t);
        return rc;
    }
    for(i = 0; i < t.nabbrev; i++)
        t.abbrev[i].order = i;
    if(t.nabbrev)
        qsort(t.abbrev, t.nabbrev, sizeof(*t.abbrev), abbrev_cmp);
    tables_dispose(&tables);
    tables = t;
    tried = 1;
    snprintf(loaded_dir, sizeof(loaded_dir), "%s", dir);
    return 0;
}

/* Whether dir holds the two table files. */
static int has_tables(const char *dir)
{
    char p[PATH_MAX + 64];
    struct stat st;

    snprintf(p, sizeof(p), "%s/categories.tsv", dir);
    if(stat(p, &st) || !S_ISREG(st.st_mode))
        return 0;
    snprintf(p, sizeof(p), "%s/street_abbrev.tsv", dir);
    return !stat(p, &st) && S_ISREG(st.st_mode);
}

/* The folder of the running binary into out, "" when unknown. */
static void exe_dir(char *out, size_t size)
{
    char p[PATH_MAX];
    ssize_t n;
    char *slash;

    out[0] = '\0';
    n = readlink("/proc/self/exe", p, sizeof(p) - 1);
    if(n <= 0)
        return;
    p[n] = '\0';
    slash = strrchr(p, '/');
    if(!slash)
        return;
    *slash = '\0';
    snprintf(out, size, "%s", p);
}

int cd_norm_data_init(struct cd_error *err)
{
    static const char *const rel[] = {
        "../share/citydir/data", "data", "../data",
    };
    const char *env = getenv(CD_DATA_ENV);
    char exe[PATH_MAX], dir[PATH_MAX + 64];
    size_t i;

    tried = 1;
    if(env && *env)
        return cd_norm_data_load(env, err);
    exe_dir(exe, sizeof(exe));
    for(i = 0; exe[0] && i < CD_ARRAY_SIZE(rel); i++) {
        snprintf(dir, sizeof(dir), "%s/%s", exe, rel[i]);
        if(has_tables(dir))
            return cd_norm_data_load(dir, err);
    }
    if(has_tables("data"))
        return cd_norm_data_load("data", err);
    return cd_error_set(err, CD_ENOTFOUND,
                        "cannot find categories.tsv and street_abbrev.tsv "
                        "in %s/../share/citydir/data, beside the binary, "
                        "or in ./data; set " CD_DATA_ENV " to their folder",
                        exe[0] ? exe : "the binary's folder");
}

const char *cd_norm_fingerprint(void)
{
    static char out[64];
    const struct cd_norm_tables *t = cd_norm_tables_get();

    snprintf(out, sizeof(out), "%s:%016llx", CD_VERSION, t->fingerprint);
    return out;
}

const char *cd_norm_data_dir(void)
{
    return loaded_dir[0] ? loaded_dir : NULL;
}

void cd_norm_data_free(void)
{
    tables_dispose(&tables);
    loaded_dir[0] = '\0';
    tried = 0;
}

/* See normalize/internal.h. */
const struct cd_norm_tables *cd_norm_tables_get(void)
{
    if(!tried)
        cd_norm_data_init(NULL);
    return &tables;
}
