/* SPDX-License-Identifier: MIT */
/*
 * Loading source definitions (conf/source.h): finding the files, reading
 * them with inih, dispatching each key through the key table (conf/keys.c),
 * and the checks that need the whole file (required keys, the parser's
 * needs, ids unique across files).
 *
 * Divisions of this file:
 *   - messages: every error is "path:line: message", sent to the caller's
 *     report function, and loading goes on so that all errors are listed;
 *   - the reader: inih reads through our fgets-style reader, which counts
 *     lines (Debian's libinih is built without INI_HANDLER_LINENO), caps
 *     line length, and checks each line's syntax and section header itself,
 *     so that syntax errors and unknown sections (even empty ones) are all
 *     reported with their line;
 *   - the handler: one key = value at a time, through the key table;
 *   - whole-file checks, then the public functions;
 *   - folders: a recursive scandir() in name order.
 *
 * inih is configured through the run-time knobs of Debian's build
 * (ini_use_stack, ini_allow_realloc, ini_max_line, ...). They are process
 * globals: loading is not thread-safe, which is fine for a step that runs
 * once at start-up.
 */
#include "conf/source.h"

#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/keys.h"
#include "conf/pattern.h"
#include "core/buf.h"
#include "parsers/parser.h"
#include "select/selector.h"

#define MSG_MAX 1024      /* one reported message, longer ones are cut */
#define DIR_DEPTH_MAX 32  /* folders nested deeper are an error */

/* Where the reader is, section-wise. */
#define SEC_NONE (-2)     /* before any [section] */
#define SEC_UNKNOWN (-1)  /* in a section reported as unknown */
#define SEC_NAMESPACES (-3)  /* in [namespaces]: prefix = URI */

#define SECTIONS_KNOWN "[source], [crawl], [extract], [catalog], " \
                       "[namespaces], [extract.PARSER]"

/* The state of loading one file. */
struct load {
    const char *path;             /* as given, for messages */
    struct cd_source *src;        /* being filled */
    cd_report_fn *report;         /* MAY be NULL */
    void *payload;
    unsigned nerrors;             /* errors reported for this file */
    int oom;                      /* memory ran out: give up */

    /* the reader */
    FILE *f;
    char *line;                   /* current physical line, NUL-ended */
    size_t len;                   /* its length, with the line break */
    size_t pos;                   /* bytes of it handed to inih */
    unsigned lineno;              /* its number, from 1 */
    unsigned syntax_first;        /* first line with a syntax error */

    /* sections and keys seen */
    int sec;                      /* enum cd_conf_section, or SEC_* */
    unsigned sec_line[CD_SEC__COUNT];  /* first header of each, 0: none */
    unsigned *key_line;           /* first line of each table row */
    unsigned *follow_line;        /* line of each follow selector */
    size_t nfollow_line;

    /* where keys go: src, or the definition of an [extract.PARSER] */
    struct cd_source *cur;
    unsigned *cur_key_line;       /* key lines of cur */
    unsigned **sub_key_line;      /* key lines of each of src->subs */
    size_t nsub_key_line;
};

/* ---- messages --------------------------------------------------------- */

/* Report "path:line: message" (or "path: message" for line 0). */
static void say(cd_report_fn *report, void *payload, const char *path,
                unsigned line, const char *fmt, va_list ap)
{
    char msg[MSG_MAX];
    int n;

    if(line)
        n = snprintf(msg, sizeof(msg), "%s:%u: ", path, line);
    else
        n = snprintf(msg, sizeof(msg), "%s: ", path);
    if(n < 0 || (size_t)n >= sizeof(msg))
        n = 0;
    vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
    if(report)
        report(msg, payload);
}

__attribute__((format(printf, 3, 4)))
static void fail(struct load *ld, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(ld->report, ld->payload, ld->path, line, fmt, ap);
    va_end(ap);
    ld->nerrors++;
}

__attribute__((format(printf, 5, 6)))
static void report_path(cd_report_fn *report, void *payload,
                        const char *path, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(report, payload, path, line, fmt, ap);
    va_end(ap);
}

/* The report function handed to a parser's check: counts, then forwards
 * (the parser's message already names file and line). */
static void forward_report(const char *msg, void *payload)
{
    struct load *ld = payload;

    ld->nerrors++;
    if(ld->report)
        ld->report(msg, ld->payload);
}

/* ---- the reader ------------------------------------------------------- */

/*
 * Like inih's find_chars_or_comment(): the first of `chars` in s, or the
 * start of an inline comment (';' after whitespace), or the end of s.
 */
static const char *find_or_comment(const char *s, const char *chars)
{
    int was_space = 0;

    while(*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
        was_space = *s == ' ' || (*s >= '\t' && *s <= '\r');
        s++;
    }
    return s;
}

static int is_blank(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The header [extract.PARSER]: keys go to the definition of that parser's
 * documents from now on (one per parser; a second header goes on with
 * it). An unknown parser is reported, and its keys skipped.
 */
static void open_sub(struct load *ld, const char *parser)
{
    const struct cd_parser *p = cd_parser_find(parser);
    struct cd_source *sub = NULL, **v;
    unsigned **kl, *lines;
    size_t i, nkeys;

    ld->sec = SEC_UNKNOWN;
    if(!p) {
        fail(ld, ld->lineno, "unknown parser '%s' in [extract.%s]", parser,
             parser);
        return;
    }
    for(i = 0; i < ld->src->nsubs; i++) {
        if(!strcmp(ld->src->subs[i]->parser_name, parser)) {
            ld->cur = ld->src->subs[i];
            ld->cur_key_line = ld->sub_key_line[i];
            ld->sec = CD_SEC_EXTRACT;
            return;
        }
    }
    cd_conf_keys_list(&nkeys);
    lines = calloc(nkeys, sizeof(*lines));
    v = realloc(ld->src->subs, (ld->src->nsubs + 1) * sizeof(*v));
    if(v)
        ld->src->subs = v;
    kl = realloc(ld->sub_key_line, (ld->src->nsubs + 1) * sizeof(*kl));
    if(kl)
        ld->sub_key_line = kl;
    if(!lines || !v || !kl || cd_source_new(&sub, ld->path) ||
       !(sub->parser_name = strdup(parser))) {
        cd_source_free(sub);
        free(lines);
        ld->oom = 1;
        return;
    }
    sub->parser = p;
    sub->parser_line = ld->lineno;
    ld->sub_key_line[ld->nsub_key_line++] = lines;
    ld->src->subs[ld->src->nsubs++] = sub;
    ld->cur = sub;
    ld->cur_key_line = lines;
    ld->sec = CD_SEC_EXTRACT;
}

/* A [section] header at p (just after the '['), as inih reads it. */
static void check_header(struct load *ld, const char *p)
{
    const char *end = find_or_comment(p, "]");
    enum cd_conf_section s;
    char name[64];
    size_t n = (size_t)(end - p);

    if(*end != ']') {
        fail(ld, ld->lineno, "missing ']' after the section name");
        ld->sec = SEC_UNKNOWN;
        if(!ld->syntax_first)
            ld->syntax_first = ld->lineno;
        return;
    }
    if(n >= sizeof(name))
        n = sizeof(name) - 1;
    memcpy(name, p, n);
    name[n] = '\0';
    ld->cur = ld->src;
    ld->cur_key_line = ld->key_line;
    if(!strcmp(name, "namespaces")) {
        ld->sec = SEC_NAMESPACES;
        return;
    }
    if(!strncmp(name, "extract.", 8)) {
        open_sub(ld, name + 8);
        return;
    }
    if(cd_conf_section_lookup(&s, name)) {
        fail(ld, ld->lineno, "unknown section [%s] (known: "
             SECTIONS_KNOWN ")", name);
        ld->sec = SEC_UNKNOWN;
        return;
    }
    ld->sec = (int)s;
    if(!ld->sec_line[s])
        ld->sec_line[s] = ld->lineno;
}

/* Check the syntax of the current line as inih will read it. */
static void check_line(struct load *ld)
{
    const char *p = ld->line;
    const char *end;

    if(ld->lineno == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while(is_blank(*p))
        p++;
    if(!*p || *p == ';' || *p == '#')
        return;
    if(*p == '[') {
        check_header(ld, p + 1);
        return;
    }
    end = find_or_comment(p, "=:");
    if(*end != '=' && *end != ':') {
        fail(ld, ld->lineno,
             "expected 'key = value', a [section] or a comment");
        if(!ld->syntax_first)
            ld->syntax_first = ld->lineno;
    }
}

/*
 * Read the next physical line into ld->line. A line longer than
 * CD_CONF_MAX_LINE, or holding a NUL byte, is reported and replaced by an
 * empty line, so line numbers stay right. 0, or -1 at the end of the file.
 */
static int next_line(struct load *ld)
{
    size_t n = 0, text = 0;
    int c, last = 0, nl = 0;

    if(!ld->line) {
        ld->line = malloc(CD_CONF_MAX_LINE + 3);
        if(!ld->line) {
            ld->oom = 1;
            return -1;
        }
    }
    /* Store at most the limit plus "\r\n"; count the rest. */
    while((c = getc(ld->f)) != EOF) {
        if(n < CD_CONF_MAX_LINE + 2)
            ld->line[n++] = (char)c;
        if(c == '\n') {
            nl = 1;
            break;
        }
        text++;
        last = c;
    }
    if(!n)
        return -1;
    if(nl && last == '\r')
        text--;
    ld->lineno++;
    ld->line[n] = '\0';
    ld->len = n;
    ld->pos = 0;
    if(text > CD_CONF_MAX_LINE) {
        fail(ld, ld->lineno, "line too long (%zu characters, at most %u)",
             text, (unsigned)CD_CONF_MAX_LINE);
    } else if(strlen(ld->line) != n) {
        fail(ld, ld->lineno, "NUL byte in line");
    } else {
        check_line(ld);
        return 0;
    }
    memcpy(ld->line, "\n", 2);
    ld->len = 1;
    return 0;
}

/* inih's reader: fgets() over our lines, maybe in several pieces. */
static char *read_piece(char *str, int num, void *stream)
{
    struct load *ld = stream;
    size_t n;

    if(num < 2)
        return NULL;
    if(ld->pos >= ld->len && next_line(ld))
        return NULL;
    n = ld->len - ld->pos;
    if(n > (size_t)num - 1)
        n = (size_t)num - 1;
    memcpy(str, ld->line + ld->pos, n);
    str[n] = '\0';
    ld->pos += n;
    return str;
}

/* Set inih's run-time knobs for our syntax (docs/sources.md). */
static void ini_setup(void)
{
    ini_use_stack = false;       /* a heap line buffer ... */
    ini_allow_realloc = true;    /* ... that grows ... */
    ini_initial_alloc = 512;
    ini_max_line = CD_CONF_MAX_LINE + 8;  /* ... past our own limit */
    ini_allow_multiline = false; /* an indented line is a key of its own */
    ini_allow_inline_comments = true;
    ini_allow_no_value = false;
    ini_allow_bom = true;
    ini_stop_on_first_error = false;
}

/* ---- the handler ------------------------------------------------------ */

static void unknown_key(struct load *ld, enum cd_conf_section sec,
                        const char *name)
{
    const char *sname = cd_conf_section_name(sec);
    const struct cd_conf_key *k;
    unsigned s;

    for(s = 0; s < CD_SEC__COUNT; s++) {
        if(s == (unsigned)sec)
            continue;
        if(cd_conf_key_find((enum cd_conf_section)s, name)) {
            fail(ld, ld->lineno, "key '%s' belongs in [%s], not [%s]", name,
                 cd_conf_section_name((enum cd_conf_section)s), sname);
            return;
        }
    }
    k = cd_conf_key_suggest(sec, name);
    if(k && k->section == sec)
        fail(ld, ld->lineno, "unknown key '%s' in [%s]; did you mean '%s'?",
             name, sname, k->name);
    else if(k)
        fail(ld, ld->lineno,
             "unknown key '%s' in [%s]; did you mean '%s' in [%s]?", name,
             sname, k->name, cd_conf_section_name(k->section));
    else
        fail(ld, ld->lineno, "unknown key '%s' in [%s]", name, sname);
}

/* Remember the line of each follow selector, for later checks. */
static void note_follow(struct load *ld)
{
    unsigned *v = realloc(ld->follow_line,
                          (ld->nfollow_line + 1) * sizeof(*v));

    if(!v) {
        ld->oom = 1;
        return;
    }
    v[ld->nfollow_line++] = ld->lineno;
    ld->follow_line = v;
}

/* Whether s is a namespace prefix: [A-Za-z_][A-Za-z0-9._-]*. */
static int prefix_valid(const char *s)
{
    const char *p;

    if(!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
         *s == '_'))
        return 0;
    for(p = s + 1; *p; p++)
        if(!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
             (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
             *p == '-'))
            return 0;
    return 1;
}

/* A line of [namespaces]: prefix = URI, for the XPath of XML parsers. */
static void add_namespace(struct load *ld, const char *prefix,
                          const char *uri)
{
    struct cd_strlist *ns = &ld->src->ns;
    size_t i;

    if(*uri == ';')
        uri = "";
    if(!prefix_valid(prefix)) {
        fail(ld, ld->lineno, "'%s' is not a namespace prefix (letters, "
             "digits, '.', '_', '-', not starting with a digit)", prefix);
        return;
    }
    if(!*uri) {
        fail(ld, ld->lineno, "namespace '%s' has no URI", prefix);
        return;
    }
    for(i = 0; i + 1 < ns->n; i += 2) {
        if(!strcmp(ns->v[i], prefix)) {
            fail(ld, ld->lineno, "namespace '%s' given twice", prefix);
            return;
        }
    }
    if(cd_strlist_add(ns, prefix, strlen(prefix)) ||
       cd_strlist_add(ns, uri, strlen(uri)))
        ld->oom = 1;
}

static int handle(void *user, const char *section, const char *name,
                  const char *value)
{
    struct load *ld = user;
    const struct cd_conf_key *k, *table;
    struct cd_error e = { 0, "" };
    enum cd_conf_section sec;
    size_t idx, n;
    size_t nfollow = ld->src->nfollow;
    int rc;

    if(ld->oom)
        return 0;
    if(ld->sec == SEC_UNKNOWN)
        return 1;  /* reported once, at the header */
    if(ld->sec == SEC_NONE) {
        fail(ld, ld->lineno, "key '%s' before any section; start the file "
             "with [source]", name);
        return 1;
    }
    (void)section;  /* the same as ld->sec, which also knows bad headers */
    if(!*name) {
        fail(ld, ld->lineno, "missing key name before '='");
        return 1;
    }
    if(ld->sec == SEC_NAMESPACES) {
        add_namespace(ld, name, value);
        return 1;
    }
    sec = (enum cd_conf_section)ld->sec;
    k = cd_conf_key_find(sec, name);
    if(!k) {
        unknown_key(ld, sec, name);
        return 1;
    }
    table = cd_conf_keys_list(&n);
    idx = (size_t)(k - table);
    if(ld->cur_key_line[idx] && !(k->flags & CD_CONF_LIST)) {
        fail(ld, ld->lineno, "key '%s' given twice (first at line %u)", name,
             ld->cur_key_line[idx]);
        return 1;
    }
    if(!ld->cur_key_line[idx])
        ld->cur_key_line[idx] = ld->lineno;
    /* inih drops the blank before a comment that starts the value
     * ("name = ; none"); ';' after a blank is a comment all the same. */
    if(*value == ';')
        value = "";
    if(!*value) {
        fail(ld, ld->lineno, "key '%s' has no value", name);
        return 1;
    }
    rc = k->set(ld->cur, k, value, ld->lineno, &e);
    if(rc == CD_ENOMEM) {
        ld->oom = 1;
        return 0;
    }
    if(rc)
        fail(ld, ld->lineno, "%s", e.msg);
    if(ld->src->nfollow > nfollow)
        note_follow(ld);
    return 1;
}

/* ---- whole-file checks ------------------------------------------------ */

/* The first line of key `name` of `sec`, 0 when not given. */
static unsigned key_given(const struct load *ld, enum cd_conf_section sec,
                          const char *name)
{
    const struct cd_conf_key *k = cd_conf_key_find(sec, name);
    size_t n;

    return k ? ld->key_line[k - cd_conf_keys_list(&n)] : 0;
}

static void require(struct load *ld, const char *name)
{
    if(!key_given(ld, CD_SEC_SOURCE, name))
        fail(ld, ld->sec_line[CD_SEC_SOURCE], "missing '%s' in [source]",
             name);
}

static const char *kind_name(enum cd_selector_kind k)
{
    switch(k) {
    case CD_SEL_CSS: return "css";
    case CD_SEL_XPATH: return "xpath";
    case CD_SEL_JSON: return "json";
    case CD_SEL_COLUMN: return "column";
    case CD_SEL_CONST: return "const";
    }
    return "?";
}

/* Whether the word w is one of the blank-separated words of list. */
static int has_word(const char *list, const char *w)
{
    size_t n = strlen(w);
    const char *p = list;

    while(*p) {
        while(*p == ' ' || *p == ',')
            p++;
        if(!strncmp(p, w, n) && (p[n] == '\0' || p[n] == ' ' ||
                                 p[n] == ','))
            return 1;
        while(*p && *p != ' ' && *p != ',')
            p++;
    }
    return 0;
}

/* A selector for `key` at `line` must be of a kind the parser takes;
 * const: is taken by every parser. */
static void check_kind(struct load *ld, const struct cd_selector *sel,
                       const char *key, unsigned line)
{
    const struct cd_parser *p = ld->src->parser;
    enum cd_selector_kind k;

    if(!sel || !p->selectors)
        return;
    k = cd_selector_kind(sel);
    if(k == CD_SEL_CONST || has_word(p->selectors, kind_name(k)))
        return;
    fail(ld, line, "parser '%s' does not take %s: selectors (for '%s'; it "
         "takes: %s)", p->name, kind_name(k), key, p->selectors);
}

static void check_parser(struct load *ld)
{
    const struct cd_source *src = ld->src;
    const struct cd_parser *p = src->parser;
    unsigned before = ld->nerrors;
    size_t i;
    unsigned f;

    if(!p)
        return;
    if((p->flags & CD_PARSER_NEEDS_EXTRACT) && !src->extract[CD_F_NAME] &&
       !key_given(ld, CD_SEC_EXTRACT, "name"))
        fail(ld, src->parser_line,
             "parser '%s' needs a 'name' selector in [extract]", p->name);
    if(src->nfollow && !(p->flags & CD_PARSER_FOLLOWS))
        fail(ld, ld->nfollow_line ? ld->follow_line[0] : 0,
             "parser '%s' does not follow links; remove 'follow'", p->name);
    check_kind(ld, src->item, "item", key_given(ld, CD_SEC_EXTRACT, "item"));
    for(f = 0; f < CD_F__COUNT; f++)
        check_kind(ld, src->extract[f], cd_field_name((enum cd_field)f),
                   src->extract_line[f]);
    for(i = 0; i < src->nfollow && i < ld->nfollow_line; i++)
        check_kind(ld, src->follow[i], "follow", ld->follow_line[i]);
    /* The parser's own checks may assume that ours passed. */
    if(ld->nerrors == before && !ld->nerrors && p->check)
        p->check(src, forward_report, ld);
}

/* Check each [extract.PARSER] as a definition of its own. */
static void check_subs(struct load *ld)
{
    struct cd_source *top = ld->src;
    unsigned *lines = ld->key_line;
    size_t i, nfollow = ld->nfollow_line;

    ld->nfollow_line = 0;
    for(i = 0; i < top->nsubs; i++) {
        ld->src = top->subs[i];
        ld->key_line = ld->sub_key_line[i];
        check_parser(ld);
    }
    ld->src = top;
    ld->key_line = lines;
    ld->nfollow_line = nfollow;
}

/*
 * Copy what a sub-definition shares with its definition: the [source]
 * values that are not about fetching, [namespaces] and [catalog] rows.
 * 0 or CD_ENOMEM.
 */
static int inherit(struct cd_source *sub, const struct cd_source *top)
{
    size_t i;

    sub->id = cd_strdup(top->id);
    sub->title = cd_strdup(top->title);
    sub->city = cd_strdup(top->city);
    sub->license = cd_strdup(top->license);
    sub->attribution = cd_strdup(top->attribution);
    sub->url = cd_strdup(top->url);
    sub->encoding = cd_strdup(top->encoding);
    sub->crs = cd_strdup(top->crs);
    sub->priority = top->priority;
    sub->has_bbox = top->has_bbox;
    memcpy(sub->bbox, top->bbox, sizeof(sub->bbox));
    if((top->id && !sub->id) || (top->title && !sub->title) ||
       (top->city && !sub->city) || (top->license && !sub->license) ||
       (top->attribution && !sub->attribution) || (top->url && !sub->url) ||
       (top->encoding && !sub->encoding) || (top->crs && !sub->crs))
        return CD_ENOMEM;
    for(i = 0; i < top->ns.n; i++)
        if(cd_strlist_add(&sub->ns, top->ns.v[i], strlen(top->ns.v[i])))
            return CD_ENOMEM;
    return 0;
}

/* After a load without errors: sub-definitions inherit, start URLs get
 * their query (conf/query.c). */
static void finish(struct load *ld)
{
    struct cd_error e = { 0, "" };
    size_t i;
    int rc;

    for(i = 0; i < ld->src->nsubs; i++) {
        if(inherit(ld->src->subs[i], ld->src)) {
            ld->oom = 1;
            return;
        }
    }
    rc = cd_source_start_query(ld->src, &e);
    if(rc == CD_ENOMEM)
        ld->oom = 1;
    else if(rc)
        fail(ld, 0, "%s", e.msg);
}

static void check_file(struct load *ld)
{
    if(!ld->sec_line[CD_SEC_SOURCE]) {
        fail(ld, 0, "missing [source] section");
        return;
    }
    require(ld, "id");
    require(ld, "parser");
    require(ld, "start");
    check_parser(ld);
    check_subs(ld);
}

/* ---- public functions ------------------------------------------------- */

/* An empty definition with the defaults applied (conf/source.h). */
int cd_source_new(struct cd_source **out, const char *path)
{
    struct cd_source *s = calloc(1, sizeof(*s));

    *out = NULL;
    if(!s)
        return CD_ENOMEM;
    if(path) {
        s->path = strdup(path);
        if(!s->path) {
            free(s);
            return CD_ENOMEM;
        }
    }
    s->priority = CD_DEFAULT_PRIORITY;
    s->delay_ms = CD_DEFAULT_DELAY_MS;
    s->concurrency = CD_DEFAULT_CONCURRENCY;
    s->max_pages = CD_DEFAULT_MAX_PAGES;
    s->timeout_ms = CD_DEFAULT_TIMEOUT_MS;
    s->connect_timeout_ms = CD_DEFAULT_CONNECT_MS;
    s->retries = CD_DEFAULT_RETRIES;
    s->max_redirects = CD_DEFAULT_MAX_REDIRECTS;
    s->cat_rows = CD_DEFAULT_CATALOG_ROWS;
    s->remove_after = CD_DEFAULT_REMOVE_AFTER;
    s->min_ratio = CD_DEFAULT_MIN_RATIO;
    *out = s;
    return 0;
}

/* Free a definition and all it owns; NULL is accepted. */
void cd_source_free(struct cd_source *s)
{
    size_t i;

    if(!s)
        return;
    free(s->path);
    free(s->id);
    free(s->title);
    free(s->city);
    free(s->parser_name);
    cd_strlist_dispose(&s->start);
    free(s->license);
    free(s->attribution);
    free(s->url);
    free(s->encoding);
    free(s->crs);
    free(s->overpass);
    cd_strlist_dispose(&s->ns);
    free(s->cat_query);
    cd_strlist_dispose(&s->cat_tags);
    cd_strlist_dispose(&s->cat_groups);
    free(s->cat_organization);
    cd_strlist_dispose(&s->cat_formats);
    for(i = 0; i < s->nsubs; i++)
        cd_source_free(s->subs[i]);
    free(s->subs);
    for(i = 0; i < s->nfollow; i++)
        cd_selector_free(s->follow[i]);
    free(s->follow);
    for(i = 0; i < s->nallow; i++)
        cd_pattern_free(s->allow[i]);
    free(s->allow);
    for(i = 0; i < s->ndeny; i++)
        cd_pattern_free(s->deny[i]);
    free(s->deny);
    cd_selector_free(s->item);
    for(i = 0; i < CD_F__COUNT; i++)
        cd_selector_free(s->extract[i]);
    free(s);
}

/*
 * Load one file (conf/source.h). *out is set only when the file has no
 * error; every error is reported. 0, CD_EINVALID, CD_EIO (cannot open or
 * read; reported too), CD_ENOMEM.
 */
int cd_source_load(struct cd_source **out, const char *path,
                   cd_report_fn *report, void *payload)
{
    struct load ld;
    struct stat st;
    size_t nkeys, i;
    int rc, ret;

    *out = NULL;
    memset(&ld, 0, sizeof(ld));
    ld.path = path;
    ld.report = report;
    ld.payload = payload;
    ld.sec = SEC_NONE;
    cd_conf_keys_list(&nkeys);
    ld.key_line = calloc(nkeys, sizeof(*ld.key_line));
    if(!ld.key_line || cd_source_new(&ld.src, path)) {
        rc = CD_ENOMEM;
        goto out;
    }
    ld.f = fopen(path, "r");
    if(!ld.f) {
        fail(&ld, 0, "cannot open: %s", strerror(errno));
        rc = CD_EIO;
        goto out;
    }
    if(fstat(fileno(ld.f), &st) || !S_ISREG(st.st_mode)) {
        fail(&ld, 0, "not a regular file");
        rc = CD_EIO;
        goto out;
    }
    ini_setup();
    ret = ini_parse_stream(read_piece, &ld, handle, &ld);
    if(ld.oom || ret == -2) {
        rc = CD_ENOMEM;
        goto out;
    }
    if(ferror(ld.f)) {
        fail(&ld, ld.lineno, "read error");
        rc = CD_EIO;
        goto out;
    }
    /* inih's first error is one we reported, unless our checks missed. */
    if(ret > 0 && (unsigned)ret != ld.syntax_first)
        fail(&ld, (unsigned)ret, "syntax error");
    check_file(&ld);
    if(!ld.nerrors && !ld.oom)
        finish(&ld);
    if(ld.oom) {
        rc = CD_ENOMEM;
        goto out;
    }
    rc = ld.nerrors ? CD_EINVALID : 0;
    if(!rc) {
        *out = ld.src;
        ld.src = NULL;
    }
out:
    if(ld.f)
        fclose(ld.f);
    cd_source_free(ld.src);
    free(ld.line);
    for(i = 0; i < ld.nsub_key_line; i++)
        free(ld.sub_key_line[i]);
    free(ld.sub_key_line);
    free(ld.key_line);
    free(ld.follow_line);
    return rc;
}

/* ---- folders ---------------------------------------------------------- */

/* The files to load, in order, each once. */
struct files {
    char **v;
    dev_t *dev;
    ino_t *ino;
    size_t n;
};

static void files_dispose(struct files *fl)
{
    size_t i;

    for(i = 0; i < fl->n; i++)
        free(fl->v[i]);
    free(fl->v);
    free(fl->dev);
    free(fl->ino);
}

/* Add path (copied) unless the same file is already listed. 0, CD_ENOMEM. */
static int files_add(struct files *fl, const char *path,
                     const struct stat *st)
{
    char **v;
    dev_t *dev;
    ino_t *ino;
    size_t i;

    for(i = 0; i < fl->n; i++)
        if(fl->dev[i] == st->st_dev && fl->ino[i] == st->st_ino)
            return 0;
    v = realloc(fl->v, (fl->n + 1) * sizeof(*v));
    if(!v)
        return CD_ENOMEM;
    fl->v = v;
    dev = realloc(fl->dev, (fl->n + 1) * sizeof(*dev));
    if(!dev)
        return CD_ENOMEM;
    fl->dev = dev;
    ino = realloc(fl->ino, (fl->n + 1) * sizeof(*ino));
    if(!ino)
        return CD_ENOMEM;
    fl->ino = ino;
    fl->v[fl->n] = strdup(path);
    if(!fl->v[fl->n])
        return CD_ENOMEM;
    fl->dev[fl->n] = st->st_dev;
    fl->ino[fl->n] = st->st_ino;
    fl->n++;
    return 0;
}

/* scandir() filter: no hidden entries (nor "." and ".."). */
static int visible(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

static int ends_with_ini(const char *name)
{
    size_t n = strlen(name);

    return n > 4 && !strcmp(name + n - 4, ".ini");
}

/*
 * Add the definitions at path: the file itself, or the *.ini files under
 * the folder, recursively, in name order. Problems are reported; 0 when
 * none, CD_EINVALID after a reported one, CD_ENOMEM.
 */
static int collect(struct files *fl, const char *path, int top, int depth,
                   cd_report_fn *report, void *payload)
{
    struct dirent **names = NULL;
    struct cd_buf child = CD_BUF_INIT(CD_MAX_LINE);
    struct stat st;
    int i, n, rc = 0, r;
    size_t plen;

    if(stat(path, &st)) {
        report_path(report, payload, path, 0, "%s", strerror(errno));
        return CD_EINVALID;
    }
    if(S_ISREG(st.st_mode))
        return top || ends_with_ini(path) ? files_add(fl, path, &st) : 0;
    if(!S_ISDIR(st.st_mode)) {
        if(!top)
            return 0;
        report_path(report, payload, path, 0, "not a file or folder");
        return CD_EINVALID;
    }
    if(depth >= DIR_DEPTH_MAX) {
        report_path(report, payload, path, 0,
                    "folders nested deeper than %d", DIR_DEPTH_MAX);
        return CD_EINVALID;
    }
    n = scandir(path, &names, visible, alphasort);
    if(n < 0) {
        report_path(report, payload, path, 0, "cannot read folder: %s",
                    strerror(errno));
        return CD_EINVALID;
    }
    plen = strlen(path);
    for(i = 0; i < n; i++) {
        cd_buf_reset(&child);
        if(cd_buf_puts(&child, path) ||
           (plen && path[plen - 1] != '/' && cd_buf_putc(&child, '/')) ||
           cd_buf_puts(&child, names[i]->d_name)) {
            rc = CD_ENOMEM;
            break;
        }
        r = collect(fl, cd_buf_str(&child), 0, depth + 1, report, payload);
        if(r == CD_ENOMEM) {
            rc = r;
            break;
        }
        if(r)
            rc = r;
    }
    for(i = 0; i < n; i++)
        free(names[i]);
    free(names);
    cd_buf_dispose(&child);
    return rc;
}

/*
 * Load the definitions at paths (conf/source.h): the files are collected
 * first, then loaded in order; a source whose id an earlier one has is
 * reported and dropped.
 */
int cd_sources_load(struct cd_sources *out, char *const *paths, size_t npaths,
                    cd_report_fn *report, void *payload)
{
    struct files fl = { NULL, NULL, NULL, 0 };
    struct cd_source *src, *other, **v;
    size_t i;
    int rc = 0, r;

    out->v = NULL;
    out->n = 0;
    for(i = 0; i < npaths; i++) {
        r = collect(&fl, paths[i], 1, 0, report, payload);
        if(r == CD_ENOMEM) {
            rc = r;
            goto out;
        }
        if(r)
            rc = CD_EINVALID;
    }
    for(i = 0; i < fl.n; i++) {
        r = cd_source_load(&src, fl.v[i], report, payload);
        if(r == CD_ENOMEM) {
            rc = r;
            goto out;
        }
        if(r) {
            rc = CD_EINVALID;
            continue;
        }
        other = cd_sources_find(out, src->id);
        if(other) {
            report_path(report, payload, src->path, src->id_line,
                        "id '%s' already used by %s:%u", src->id,
                        other->path, other->id_line);
            cd_source_free(src);
            rc = CD_EINVALID;
            continue;
        }
        v = realloc(out->v, (out->n + 1) * sizeof(*v));
        if(!v) {
            cd_source_free(src);
            rc = CD_ENOMEM;
            goto out;
        }
        out->v = v;
        out->v[out->n++] = src;
    }
out:
    files_dispose(&fl);
    return rc;
}

/* Free every definition of the set; NULL is accepted. */
void cd_sources_dispose(struct cd_sources *s)
{
    size_t i;

    if(!s)
        return;
    for(i = 0; i < s->n; i++)
        cd_source_free(s->v[i]);
    CD_FREE(s->v);
    s->n = 0;
}

/* The definition with this id, or NULL. Borrowed from the set. */
struct cd_source *cd_sources_find(const struct cd_sources *s, const char *id)
{
    size_t i;

    for(i = 0; i < s->n; i++)
        if(s->v[i]->id && !strcmp(s->v[i]->id, id))
            return s->v[i];
    return NULL;
}

/* 1 when url may be followed (allow/deny of [crawl]), else 0; a pattern
 * that fails to run counts against the URL. */
int cd_source_url_allowed(const struct cd_source *s, const char *url)
{
    size_t i, n = strlen(url);
    int ok = s->nallow == 0;

    for(i = 0; i < s->nallow && !ok; i++)
        ok = cd_pattern_match(s->allow[i], url, n) == 1;
    for(i = 0; i < s->ndeny && ok; i++)
        if(cd_pattern_match(s->deny[i], url, n) != 0)
            ok = 0;  /* a match, or an error: do not follow */
    return ok;
}

/* The [extract.PARSER] definition of src for `parser`, or NULL. */
const struct cd_source *cd_source_sub(const struct cd_source *src,
                                      const char *parser)
{
    size_t i;

    if(!src || !parser)
        return NULL;
    for(i = 0; i < src->nsubs; i++)
        if(!strcmp(src->subs[i]->parser_name, parser))
            return src->subs[i];
    return NULL;
}
