/* SPDX-License-Identifier: MIT */
/*
 * Selectors: compiling "kind:EXPR | regex:PATTERN" once, and evaluating
 * css: and xpath: selectors on a libxml2 tree. Divisions: whitespace
 * normalisation, node text, regex, compiling, evaluation.
 *
 * The value of a node is its text: for an element, the text of everything
 * inside it, where <br> and block elements (p, div, li, td, ...) separate
 * words and the contents of <script>, <style>, <template> and <noscript>
 * inside it are left out (the element itself may be one: a selected
 * <script> gives its text). Every value is whitespace-normalised; an empty
 * value is dropped. With a regex, the first capture group that took part
 * in the match gives the value, else the whole match; no match drops it.
 *
 * libxml2 prints some XPath errors through its generic handler; while a
 * selector is compiled or run that handler is swapped for a silent one.
 */
#include "select/selector.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <libxml/xmlerror.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "select/css.h"

/* Limits for one regex match, against runaway backtracking. */
#define RE_MATCH_LIMIT 1000000
#define RE_HEAP_LIMIT_KB 16384

struct cd_selector {
    enum cd_selector_kind kind;
    char *text;                  /* as written */
    char *expr;                  /* between the prefix and any regex */
    char *xpath;                 /* css:, xpath: the XPath source */
    xmlXPathCompExprPtr comp;    /* css:, xpath: compiled */
    pcre2_code *re;              /* MAY be NULL: no regex */
    pcre2_match_context *mctx;   /* limits for re */
    uint32_t ngroups;            /* capture groups of re */
};

static const struct {
    const char *prefix;
    enum cd_selector_kind kind;
} kinds[] = {
    { "css:", CD_SEL_CSS },
    { "xpath:", CD_SEL_XPATH },
    { "json:", CD_SEL_JSON },
    { "column:", CD_SEL_COLUMN },
    { "const:", CD_SEL_CONST },
};

/* ---- whitespace normalisation ----------------------------------------- */

/* Text being gathered: whitespace collapsed, cut at CD_MAX_FIELD. */
struct text {
    struct cd_buf b;
    int space;  /* a space is due before the next character */
    int full;   /* the ceiling was reached; the rest is ignored */
    int rc;     /* CD_ENOMEM once an append failed */
};

/* Length of the whitespace character at s (n bytes left), or 0. */
static size_t ws_len(const unsigned char *s, size_t n)
{
    if(*s == ' ' || (*s >= '\t' && *s <= '\r'))
        return 1;
    if(*s < 0xC2 || n < 2)
        return 0;
    if(s[0] == 0xC2)
        return s[1] == 0xA0 || s[1] == 0x85 ? 2 : 0;
    if(n < 3)
        return 0;
    if(s[0] == 0xE2 && s[1] == 0x80 &&
       (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3;
    if(s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 3;
    if(s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

static void text_init(struct text *t)
{
    cd_buf_init(&t->b, CD_MAX_FIELD);
    t->space = 0;
    t->full = 0;
    t->rc = 0;
}

/* Copy a run without whitespace, cut on a character boundary. */
static void text_run(struct text *t, const char *s, size_t n)
{
    size_t room;

    if(t->space && t->b.len) {
        if(t->b.len + 1 >= CD_MAX_FIELD) {
            t->full = 1;
            return;
        }
        if((t->rc = cd_buf_putc(&t->b, ' ')))
            return;
    }
    t->space = 0;
    room = CD_MAX_FIELD - t->b.len;
    if(n > room) {
        n = room;
        while(n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        t->full = 1;
    }
    if(n)
        t->rc = cd_buf_put(&t->b, s, n);
}

/* Add n bytes of text, collapsing whitespace. */
static void text_add(struct text *t, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, start = 0, w;

    while(i < n && !t->full && !t->rc) {
        w = ws_len(u + i, n - i);
        if(!w) {
            i++;
            continue;
        }
        if(i > start)
            text_run(t, s + start, i - start);
        t->space = 1;
        i += w;
        start = i;
    }
    if(i > start && !t->full && !t->rc)
        text_run(t, s + start, i - start);
}

int cd_selector_normalize_ws(char **out, size_t *outlen, const char *v,
                             size_t n)
{
    struct text t;

    text_init(&t);
    text_add(&t, v, n);
    *out = NULL;
    *outlen = t.b.len;
    if(t.rc)
        return t.rc == CD_ETOOBIG ? CD_ENOMEM : t.rc;
    *out = cd_buf_detach(&t.b);
    return *out ? 0 : CD_ENOMEM;
}

/* ---- node text -------------------------------------------------------- */

static int name_in(const xmlChar *name, const char *const *set)
{
    for(; *set; set++)
        if(!strcmp((const char *)name, *set))
            return 1;
    return 0;
}

/* Elements whose contents are not text a reader sees. */
static int skipped(xmlNodePtr n)
{
    static const char *const set[] = {
        "script", "style", "template", "noscript", NULL,
    };

    return name_in(n->name, set);
}

/* Elements that separate words: br and the block elements. */
static int breaks(xmlNodePtr n)
{
    static const char *const set[] = {
        "address", "article", "aside", "blockquote", "br", "caption",
        "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "option",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul", NULL,
    };

    return name_in(n->name, set);
}

/* The text inside `top`, walked without recursion. */
static void text_of_tree(struct text *t, xmlNodePtr top)
{
    xmlNodePtr n = top->children;

    while(n && !t->full && !t->rc) {
        if(n->type == XML_ELEMENT_NODE && !skipped(n)) {
            if(breaks(n))
                t->space = 1;
            if(n->children) {
                n = n->children;
                continue;
            }
        } else if((n->type == XML_TEXT_NODE ||
                   n->type == XML_CDATA_SECTION_NODE) && n->content) {
            text_add(t, (const char *)n->content,
                     strlen((const char *)n->content));
        }
        /* Leave n, and every ancestor that has no next sibling. */
        for(;;) {
            if(n->type == XML_ELEMENT_NODE && breaks(n))
                t->space = 1;
            if(n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if(!n || n == top) {
                n = NULL;
                break;
            }
        }
    }
}

/* The value of one node of a result. */
static void text_of_node(struct text *t, xmlNodePtr n)
{
    xmlNodePtr c;

    switch(n->type) {
    case XML_ELEMENT_NODE:
    case XML_DOCUMENT_NODE:
    case XML_HTML_DOCUMENT_NODE:
    case XML_DOCUMENT_FRAG_NODE:
        text_of_tree(t, n);
        break;
    case XML_ATTRIBUTE_NODE:
        for(c = n->children; c; c = c->next)
            if(c->content)
                text_add(t, (const char *)c->content,
                         strlen((const char *)c->content));
        break;
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
    case XML_COMMENT_NODE:
    case XML_PI_NODE:
        if(n->content)
            text_add(t, (const char *)n->content,
                     strlen((const char *)n->content));
        break;
    case XML_NAMESPACE_DECL:
        if(((xmlNsPtr)n)->href)
            text_add(t, (const char *)((xmlNsPtr)n)->href,
                     strlen((const char *)((xmlNsPtr)n)->href));
        break;
    default:
        break;
    }
}

/* ---- regex ------------------------------------------------------------ */

/* Apply the regex to a normalised value and hand the result to cb. */
static int deliver(const struct cd_selector *s, const char *v, size_t n,
                   cd_value_fn *cb, void *payload)
{
    pcre2_match_data *md;
    PCRE2_SIZE *ov;
    uint32_t g;
    int rc;

    if(!s->re) {
        if(!n)
            return 0;
        return cb(v, n, payload) ? CD_EUSER : 0;
    }
    md = pcre2_match_data_create_from_pattern(s->re, NULL);
    if(!md)
        return CD_ENOMEM;
    rc = pcre2_match(s->re, (PCRE2_SPTR)v, n, 0, 0, md, s->mctx);
    if(rc < 0) {
        pcre2_match_data_free(md);
        return 0;  /* no match (or a match limit): the value is dropped */
    }
    ov = pcre2_get_ovector_pointer(md);
    for(g = 1; g <= s->ngroups; g++)
        if(ov[2 * g] != PCRE2_UNSET)
            break;
    if(g > s->ngroups)
        g = 0;
    rc = 0;
    if(ov[2 * g + 1] > ov[2 * g])
        rc = cb(v + ov[2 * g], ov[2 * g + 1] - ov[2 * g], payload)
                 ? CD_EUSER : 0;
    pcre2_match_data_free(md);
    return rc;
}

int cd_selector_finish_value(const struct cd_selector *s, const char *v,
                             size_t n, cd_value_fn *cb, void *payload)
{
    struct text t;
    int rc;

    text_init(&t);
    text_add(&t, v, n);
    rc = t.rc ? CD_ENOMEM : deliver(s, cd_buf_str(&t.b), t.b.len, cb,
                                    payload);
    cd_buf_dispose(&t.b);
    return rc;
}

static int compile_regex(struct cd_selector *s, const char *pattern,
                         struct cd_error *err)
{
    PCRE2_UCHAR msg[256];
    PCRE2_SIZE off;
    int code;

    s->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF,
                          &code, &off, NULL);
    if(!s->re) {
        pcre2_get_error_message(code, msg, sizeof(msg));
        return cd_error_set(err, CD_EINVALID,
                            "bad regex '%s': %s at offset %zu", pattern,
                            (const char *)msg, (size_t)off + 1);
    }
    pcre2_pattern_info(s->re, PCRE2_INFO_CAPTURECOUNT, &s->ngroups);
    s->mctx = pcre2_match_context_create(NULL);
    if(!s->mctx)
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    pcre2_set_match_limit(s->mctx, RE_MATCH_LIMIT);
    pcre2_set_heap_limit(s->mctx, RE_HEAP_LIMIT_KB);
    pcre2_jit_compile(s->re, PCRE2_JIT_COMPLETE);  /* optional speed-up */
    return 0;
}

/* ---- XPath with errors kept quiet --------------------------------------- */

static void silent_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

/* Swap libxml2's generic error handler for a silent one, and back. */
struct quiet {
    xmlGenericErrorFunc fn;
    void *ctx;
};

static void quiet_on(struct quiet *q)
{
    q->fn = xmlGenericError;
    q->ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic);
}

static void quiet_off(struct quiet *q)
{
    xmlSetGenericErrorFunc(q->ctx, q->fn);
}

int cd_selector_context_new(xmlXPathContextPtr *out, xmlDocPtr doc)
{
    *out = xmlXPathNewContext(doc);
    if(!*out)
        return CD_ENOMEM;
    (*out)->error = silent_structured;
    return 0;
}

/* What the context's last XPath error means (libxml2 keeps no message
 * when the context has its own error function). */
static const char *xpath_message(xmlXPathContextPtr xc)
{
    switch(xc->lastError.code) {
    case XML_XPATH_NUMBER_ERROR: return "bad number";
    case XML_XPATH_UNFINISHED_LITERAL_ERROR: return "unfinished string";
    case XML_XPATH_START_LITERAL_ERROR: return "expected a string";
    case XML_XPATH_VARIABLE_REF_ERROR: return "bad variable name";
    case XML_XPATH_UNDEF_VARIABLE_ERROR: return "undefined variable";
    case XML_XPATH_INVALID_PREDICATE_ERROR: return "bad predicate";
    case XML_XPATH_EXPR_ERROR: return "invalid expression";
    case XML_XPATH_UNCLOSED_ERROR: return "missing ] or )";
    case XML_XPATH_UNKNOWN_FUNC_ERROR: return "unknown function";
    case XML_XPATH_INVALID_OPERAND: return "invalid operand";
    case XML_XPATH_INVALID_TYPE: return "wrong type";
    case XML_XPATH_INVALID_ARITY: return "wrong number of arguments";
    case XML_XPATH_MEMORY_ERROR: return "out of memory";
    case XML_XPATH_UNDEF_PREFIX_ERROR: return "undefined namespace prefix";
    case XML_XPATH_ENCODING_ERROR: return "bad encoding";
    case XML_XPATH_INVALID_CHAR_ERROR: return "invalid character";
    default: return "invalid expression";
    }
}

/*
 * Compile s->xpath, then run it once on an empty page, which catches what
 * libxml2 only finds at run time (unknown functions, variables; but not
 * namespace prefixes, which [namespaces] binds for the xml parser).
 */
static int compile_xpath(struct cd_selector *s, struct cd_error *err)
{
    xmlXPathContextPtr xc = NULL;
    xmlXPathObjectPtr res;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    struct quiet q;
    int rc = CD_ENOMEM;

    quiet_on(&q);
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = doc ? xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL) : NULL;
    if(!root)
        goto out;
    xmlDocSetRootElement(doc, root);
    if(cd_selector_context_new(&xc, doc))
        goto out;
    s->comp = xmlXPathCtxtCompile(xc, BAD_CAST s->xpath);
    if(!s->comp) {
        if(s->kind == CD_SEL_CSS)
            rc = cd_error_set(err, CD_EINVALID,
                              "bad CSS selector '%s': it makes the bad "
                              "XPath '%s' (%s)", s->expr, s->xpath,
                              xpath_message(xc));
        else
            rc = cd_error_set(err, CD_EINVALID,
                              "bad XPath '%s': %s at offset %d", s->xpath,
                              xpath_message(xc), xc->lastError.int1 + 1);
        goto out;
    }
    xc->node = (xmlNodePtr)doc;
    res = xmlXPathCompiledEval(s->comp, xc);
    /* A prefix is bound when the selector runs, by the definition's
     * [namespaces] (the xml parser checks that each is given). */
    if(!res && xc->lastError.code == XML_XPATH_UNDEF_PREFIX_ERROR) {
        rc = 0;
        goto out;
    }
    if(!res) {
        rc = cd_error_set(err, CD_EINVALID, "bad XPath '%s': %s", s->xpath,
                          xpath_message(xc));
        goto out;
    }
    xmlXPathFreeObject(res);
    rc = 0;
out:
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "out of memory");
    xmlXPathFreeContext(xc);
    xmlFreeDoc(doc);
    quiet_off(&q);
    return rc;
}

/* ---- compiling -------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A trimmed copy of n bytes at p. */
static char *dup_trim(const char *p, size_t n)
{
    char *r;

    while(n && is_space(*p)) {
        p++;
        n--;
    }
    while(n && is_space(p[n - 1]))
        n--;
    r = malloc(n + 1);
    if(r) {
        memcpy(r, p, n);
        r[n] = '\0';
    }
    return r;
}

/*
 * Where "| regex:" starts in s, or NULL. For css: and xpath:, a '|' inside
 * a quoted string does not count (XPath also uses '|' for union).
 */
static const char *find_regex(const char *s, int quotes)
{
    char q = 0;
    const char *p, *r;

    for(p = s; *p; p++) {
        if(q) {
            if(*p == q)
                q = 0;
            continue;
        }
        if(quotes && (*p == '\'' || *p == '"')) {
            q = *p;
            continue;
        }
        if(*p != '|')
            continue;
        for(r = p + 1; is_space(*r); r++)
            ;
        if(!strncmp(r, "regex:", 6))
            return p;
    }
    return NULL;
}

int cd_selector_compile(struct cd_selector **out, const char *text,
                        struct cd_error *err)
{
    struct cd_selector *s;
    const char *body, *bar, *colon;
    char *pattern = NULL;
    size_t i;
    int rc = CD_ENOMEM;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if(!s)
        return cd_error_set(err, CD_ENOMEM, "out of memory");
    s->text = dup_trim(text, strlen(text));
    if(!s->text)
        goto fail;
    for(i = 0; i < CD_ARRAY_SIZE(kinds); i++)
        if(!strncmp(s->text, kinds[i].prefix, strlen(kinds[i].prefix)))
            break;
    if(i == CD_ARRAY_SIZE(kinds)) {
        for(colon = s->text; *colon >= 'a' && *colon <= 'z'; colon++)
            ;
        if(*colon == ':' && colon > s->text && colon[1] != ':')
            rc = cd_error_set(err, CD_EINVALID,
                              "unknown selector kind '%.*s:' (expected "
                              "css:, xpath:, json:, column: or const:)",
                              (int)(colon - s->text), s->text);
        else
            rc = cd_error_set(err, CD_EINVALID,
                              "selector '%s' has no kind (write css:, "
                              "xpath:, json:, column: or const: before it)",
                              s->text);
        goto fail;
    }
    s->kind = kinds[i].kind;
    body = s->text + strlen(kinds[i].prefix);
    bar = find_regex(body, s->kind == CD_SEL_CSS ||
                               s->kind == CD_SEL_XPATH);
    s->expr = dup_trim(body, bar ? (size_t)(bar - body) : strlen(body));
    if(!s->expr)
        goto fail;
    if(!*s->expr && s->kind != CD_SEL_CONST) {
        rc = cd_error_set(err, CD_EINVALID, "empty selector after '%s'",
                          kinds[i].prefix);
        goto fail;
    }
    if(bar) {
        bar = strstr(bar, "regex:") + 6;
        pattern = dup_trim(bar, strlen(bar));
        if(!pattern)
            goto fail;
        if(!*pattern) {
            rc = cd_error_set(err, CD_EINVALID, "empty regex in '%s'",
                              s->text);
            goto fail;
        }
        rc = compile_regex(s, pattern, err);
        if(rc)
            goto fail;
    }
    if(s->kind == CD_SEL_CSS) {
        rc = cd_css_to_xpath(&s->xpath, s->expr, err);
        if(rc)
            goto fail;
    } else if(s->kind == CD_SEL_XPATH) {
        s->xpath = strdup(s->expr);
        if(!s->xpath) {
            rc = CD_ENOMEM;
            goto fail;
        }
    }
    if(s->xpath) {
        rc = compile_xpath(s, err);
        if(rc)
            goto fail;
    }
    free(pattern);
    *out = s;
    return 0;
fail:
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "out of memory");
    free(pattern);
    cd_selector_free(s);
    return rc;
}

void cd_selector_free(struct cd_selector *s)
{
    if(!s)
        return;
    free(s->text);
    free(s->expr);
    free(s->xpath);
    if(s->comp)
        xmlXPathFreeCompExpr(s->comp);
    if(s->re)
        pcre2_code_free(s->re);
    if(s->mctx)
        pcre2_match_context_free(s->mctx);
    free(s);
}

enum cd_selector_kind cd_selector_kind(const struct cd_selector *s)
{
    return s->kind;
}

const char *cd_selector_text(const struct cd_selector *s)
{
    return s->text;
}

const char *cd_selector_expr(const struct cd_selector *s)
{
    return s->expr;
}

const char *cd_selector_xpath(const struct cd_selector *s)
{
    return s->xpath;
}

/* ---- evaluation ------------------------------------------------------- */

/* Run the compiled XPath with ctx as the context node. */
static int run(xmlXPathObjectPtr *res, const struct cd_selector *s,
               xmlXPathContextPtr xp, xmlNodePtr ctx, struct cd_error *err)
{
    struct quiet q;

    *res = NULL;
    if(s->kind != CD_SEL_CSS && s->kind != CD_SEL_XPATH)
        return cd_error_set(err, CD_EINVALID,
                            "selector '%s' does not apply to HTML or XML",
                            s->text);
    xp->node = ctx;
    if(ctx && ctx->doc)
        xp->doc = ctx->doc;
    quiet_on(&q);
    *res = xmlXPathCompiledEval(s->comp, xp);
    quiet_off(&q);
    if(!*res)
        return cd_error_set(err, CD_EINVALID, "selector '%s' failed: %s",
                            s->text, xpath_message(xp));
    return 0;
}

int cd_selector_eval_xml(const struct cd_selector *s, xmlXPathContextPtr xp,
                         xmlNodePtr ctx, cd_value_fn *cb, void *payload,
                         struct cd_error *err)
{
    xmlXPathObjectPtr res;
    struct text t;
    xmlChar *num;
    int i, rc;

    rc = run(&res, s, xp, ctx, err);
    if(rc)
        return rc;
    switch(res->type) {
    case XPATH_NODESET:
        for(i = 0; !rc && res->nodesetval && i < res->nodesetval->nodeNr;
            i++) {
            text_init(&t);
            text_of_node(&t, res->nodesetval->nodeTab[i]);
            if(t.rc)
                rc = CD_ENOMEM;
            else
                rc = deliver(s, cd_buf_str(&t.b), t.b.len, cb, payload);
            cd_buf_dispose(&t.b);
        }
        break;
    case XPATH_STRING:
        if(res->stringval)
            rc = cd_selector_finish_value(
                s, (const char *)res->stringval,
                strlen((const char *)res->stringval), cb, payload);
        break;
    case XPATH_NUMBER:
        num = xmlXPathCastNumberToString(res->floatval);
        if(!num) {
            rc = CD_ENOMEM;
            break;
        }
        rc = cd_selector_finish_value(s, (const char *)num,
                                      strlen((const char *)num), cb,
                                      payload);
        xmlFree(num);
        break;
    case XPATH_BOOLEAN:
        rc = cd_selector_finish_value(s, res->boolval ? "true" : "false",
                                      res->boolval ? 4 : 5, cb, payload);
        break;
    default:
        break;
    }
    xmlXPathFreeObject(res);
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "out of memory");
    return rc;
}

int cd_selector_nodes(xmlNodeSetPtr *out, const struct cd_selector *s,
                      xmlXPathContextPtr xp, xmlNodePtr ctx,
                      struct cd_error *err)
{
    xmlXPathObjectPtr res;
    int rc;

    *out = NULL;
    rc = run(&res, s, xp, ctx, err);
    if(rc)
        return rc;
    if(res->type != XPATH_NODESET) {
        xmlXPathFreeObject(res);
        return cd_error_set(err, CD_EINVALID,
                            "selector '%s' gives a value, not elements",
                            s->text);
    }
    if(res->nodesetval && res->nodesetval->nodeNr) {
        *out = res->nodesetval;
        res->nodesetval = NULL;
    }
    xmlXPathFreeObject(res);
    return 0;
}
