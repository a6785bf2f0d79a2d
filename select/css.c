/* SPDX-License-Identifier: MIT */
/*
 * CSS to XPath 1.0, a recursive-descent translator after cssselect's.
 *
 *     list      := complex ( ',' complex )*
 *     complex   := compound ( combinator compound )* pseudo-element?
 *     combinator:= whitespace | '>' | '+' | '~'
 *     compound  := ( type | '*' )? ( '#id' | '.class' | '[attr]' | ':pc' )*
 *     pseudo-element := '::text' | '::attr(' name ')'
 *
 * Supported: type, `*`, `.class`, `#id`, `[a]`, `[a=v]`, `[a~=v]`,
 * `[a|=v]`, `[a^=v]`, `[a$=v]`, `[a*=v]` (v quoted or not, optional ` i`
 * flag for ASCII case-insensitive values), the four combinators,
 * `:first-child`, `:last-child`, `:only-child`, `:first-of-type`,
 * `:last-of-type`, `:only-of-type`, `:nth-child()`, `:nth-last-child()`,
 * `:nth-of-type()`, `:nth-last-of-type()` (an+b, odd, even), `:not()`
 * (one compound), `:empty`, `:root` and cssselect's `:contains("text")`.
 * Element and attribute names are matched in lower case, as the HTML tree
 * has them; values are case-sensitive.
 */
#include "select/css.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define UPPER "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"
#define LOWER "'abcdefghijklmnopqrstuvwxyz'"

struct css {
    const char *s;         /* the selector, as written */
    size_t i;              /* next byte of s */
    struct cd_buf out;     /* the XPath being written */
    int rc;                /* first failure, 0 while all is well */
    int nest;              /* :not() depth */
    struct cd_error *err;
};

/* ---- output ----------------------------------------------------------- */

static void put(struct css *c, const char *s, size_t n)
{
    if(!c->rc)
        c->rc = cd_buf_put(&c->out, s, n);
}

static void puts_(struct css *c, const char *s)
{
    put(c, s, strlen(s));
}

static void putf(struct css *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(struct css *c, const char *fmt, ...)
{
    va_list ap;

    if(c->rc)
        return;
    va_start(ap, fmt);
    c->rc = cd_buf_vprintf(&c->out, fmt, ap);
    va_end(ap);
}

static void put_literal(struct css *c, const char *v, size_t n);

/* The XPath literal of ' ' + v + ' ' (n bytes at v), for class names. */
static void put_spaced_literal(struct css *c, const char *v, size_t n)
{
    char small[130];

    if(n + 2 > sizeof(small)) {
        puts_(c, "concat(' ', ");
        put_literal(c, v, n);
        puts_(c, ", ' ')");
        return;
    }
    small[0] = ' ';
    memcpy(small + 1, v, n);
    small[n + 1] = ' ';
    put_literal(c, small, n + 2);
}

/* An XPath string literal for n bytes at v. XPath 1.0 has no escapes: a
 * value with both quote kinds becomes concat('..', "'", '..'). */
static void put_literal(struct css *c, const char *v, size_t n)
{
    size_t i, start;

    if(!memchr(v, '\'', n)) {
        puts_(c, "'");
        put(c, v, n);
        puts_(c, "'");
        return;
    }
    if(!memchr(v, '"', n)) {
        puts_(c, "\"");
        put(c, v, n);
        puts_(c, "\"");
        return;
    }
    puts_(c, "concat(''");
    for(i = start = 0; i <= n; i++) {
        if(i < n && v[i] != '\'')
            continue;
        if(i > start) {
            puts_(c, ", '");
            put(c, v + start, i - start);
            puts_(c, "'");
        }
        if(i < n)
            puts_(c, ", \"'\"");
        start = i + 1;
    }
    puts_(c, ")");
}

/* Whether XPath can spell `name` as a plain name test. */
static int plain_name(const char *name)
{
    const unsigned char *p = (const unsigned char *)name;

    if(!((*p >= 'a' && *p <= 'z') || *p == '_'))
        return 0;
    for(p++; *p; p++)
        if(!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
             *p == '_' || *p == '-' || *p == '.'))
            return 0;
    return 1;
}

/* axis + name test: `*`, the name, or *[name() = '...'] for odd names. */
static void put_nametest(struct css *c, const char *axis, const char *type)
{
    puts_(c, axis);
    if(!type) {
        puts_(c, "*");
    } else if(plain_name(type)) {
        puts_(c, type);
    } else {
        puts_(c, "*[name() = ");
        put_literal(c, type, strlen(type));
        puts_(c, "]");
    }
}

/* `@name`, or @*[name() = '...'] for odd names. */
static void put_attr(struct css *c, const char *name)
{
    if(plain_name(name)) {
        putf(c, "@%s", name);
    } else {
        puts_(c, "@*[name() = ");
        put_literal(c, name, strlen(name));
        puts_(c, "]");
    }
}

/* ---- errors and input ------------------------------------------------- */

static int fail(struct css *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Report an error at the current position (counting from 1). */
static int fail(struct css *c, const char *fmt, ...)
{
    char what[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    cd_error_set(c->err, CD_EINVALID,
                 "bad CSS selector '%s': %s at offset %zu", c->s, what,
                 c->i + 1);
    return CD_EINVALID;
}

static int peek(const struct css *c)
{
    return (unsigned char)c->s[c->i];
}

static int peek2(const struct css *c)
{
    return c->s[c->i] ? (unsigned char)c->s[c->i + 1] : 0;
}

static int is_ws(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
           ch == '\f';
}

/* Skip whitespace; returns whether there was any. */
static int skip_ws(struct css *c)
{
    size_t i = c->i;

    while(is_ws(peek(c)))
        c->i++;
    return c->i != i;
}

static int is_hex(int ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
           (ch >= 'A' && ch <= 'F');
}

static int is_name_start(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch == '_' || ch >= 0x80 || ch == '\\';
}

static int is_name_char(int ch)
{
    return is_name_start(ch) || (ch >= '0' && ch <= '9') || ch == '-';
}

/* Append code point cp as UTF-8 to b. */
static int put_utf8(struct cd_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;

    if(!cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if(cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if(cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if(cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return cd_buf_put(b, u, n);
}

/* Read the escape at c->i ('\\') into tok. */
static int read_escape(struct css *c, struct cd_buf *tok)
{
    unsigned long cp = 0;
    int k = 0, rc;

    c->i++;
    if(!peek(c))
        return fail(c, "escape at end");
    if(!is_hex(peek(c))) {
        rc = cd_buf_put(tok, c->s + c->i, 1);
        c->i++;
        return rc;
    }
    while(k < 6 && is_hex(peek(c))) {
        int ch = peek(c);

        cp = cp * 16 + (unsigned long)(ch <= '9' ? ch - '0'
                                       : (ch | 0x20) - 'a' + 10);
        c->i++;
        k++;
    }
    if(is_ws(peek(c)))
        c->i++;
    return put_utf8(tok, cp);
}

/*
 * Read a name (identifier) into tok, lower-cased when `fold`. With
 * `digits`, it may start with a digit or '-' (ids, classes, values).
 */
static int read_name(struct css *c, struct cd_buf *tok, int fold,
                     int digits, const char *what)
{
    int rc = 0, ch = peek(c);

    cd_buf_reset(tok);
    if(ch == '-' && !digits &&
       (is_name_start(peek2(c)) || peek2(c) == '-'))
        ch = 'a';  /* a leading hyphen is fine before a name */
    if(!(digits ? is_name_char(ch) : is_name_start(ch)))
        return fail(c, "expected %s", what);
    while(!rc && is_name_char(peek(c))) {
        ch = peek(c);
        if(ch == '\\') {
            rc = read_escape(c, tok);
            continue;
        }
        if(fold && ch >= 'A' && ch <= 'Z')
            ch += 32;
        rc = cd_buf_putc(tok, (char)ch);
        c->i++;
    }
    if(!rc && !tok->len)
        return fail(c, "expected %s", what);
    return rc;
}

/* Read a quoted string at c->i into tok. */
static int read_string(struct css *c, struct cd_buf *tok)
{
    char q = c->s[c->i];
    size_t start = c->i;
    int rc = 0;

    cd_buf_reset(tok);
    rc = cd_buf_put(tok, "", 0);
    c->i++;
    while(!rc && peek(c) && c->s[c->i] != q) {
        if(c->s[c->i] == '\\') {
            if(c->s[c->i + 1] == '\n') {
                c->i += 2;
                continue;
            }
            rc = read_escape(c, tok);
            continue;
        }
        rc = cd_buf_put(tok, c->s + c->i, 1);
        c->i++;
    }
    if(rc)
        return rc;
    if(!peek(c)) {
        c->i = start;
        return fail(c, "unterminated string");
    }
    c->i++;
    return 0;
}

/* ---- simple selectors ------------------------------------------------- */

/* [name op value flag] */
static int attrib(struct css *c, struct cd_buf *tok)
{
    char *name = NULL, *val = NULL;
    char op[3] = "";
    int rc, icase = 0;
    size_t vlen = 0;

    c->i++;
    skip_ws(c);
    rc = read_name(c, tok, 1, 0, "attribute name");
    if(rc)
        goto out;
    name = cd_buf_detach(tok);
    if(!name) {
        rc = CD_ENOMEM;
        goto out;
    }
    skip_ws(c);
    if(peek(c) == ']') {
        c->i++;
        puts_(c, "[");
        put_attr(c, name);
        puts_(c, "]");
        goto out;
    }
    if(peek(c) == '=') {
        op[0] = '=';
        c->i++;
    } else if(peek(c) && strchr("~|^$*", peek(c)) && peek2(c) == '=') {
        op[0] = (char)peek(c);
        op[1] = '=';
        c->i += 2;
    } else {
        rc = fail(c, "expected ']'");
        goto out;
    }
    skip_ws(c);
    if(peek(c) == '"' || peek(c) == '\'')
        rc = read_string(c, tok);
    else
        rc = read_name(c, tok, 0, 1, "attribute value");
    if(rc)
        goto out;
    vlen = tok->len;
    val = cd_buf_detach(tok);
    if(!val) {
        rc = CD_ENOMEM;
        goto out;
    }
    skip_ws(c);
    if((peek(c) | 0x20) == 'i' || (peek(c) | 0x20) == 's') {
        icase = (peek(c) | 0x20) == 'i';
        c->i++;
        skip_ws(c);
    }
    if(peek(c) != ']') {
        rc = fail(c, "expected ']'");
        goto out;
    }
    c->i++;
    if(icase) {
        size_t k;

        for(k = 0; k < vlen; k++)
            if(val[k] >= 'A' && val[k] <= 'Z')
                val[k] = (char)(val[k] + 32);
    }

#define A() do { \
        if(icase) { puts_(c, "translate("); put_attr(c, name); \
                    puts_(c, ", " UPPER ", " LOWER ")"); } \
        else put_attr(c, name); \
    } while(0)

    puts_(c, "[");
    switch(op[0]) {
    case '=':
        A();
        puts_(c, " = ");
        put_literal(c, val, vlen);
        break;
    case '~':
        if(!vlen || strpbrk(val, " \t\n\r\f")) {
            puts_(c, "false()");
            break;
        }
        puts_(c, "contains(concat(' ', normalize-space(");
        A();
        puts_(c, "), ' '), ");
        put_spaced_literal(c, val, vlen);
        puts_(c, ")");
        break;
    case '|':
        A();
        puts_(c, " = ");
        put_literal(c, val, vlen);
        puts_(c, " or starts-with(");
        A();
        puts_(c, ", concat(");
        put_literal(c, val, vlen);
        puts_(c, ", '-'))");
        break;
    case '^':
    case '$':
    case '*':
        if(!vlen) {
            puts_(c, "false()");
            break;
        }
        if(op[0] == '^') {
            puts_(c, "starts-with(");
            A();
        } else if(op[0] == '*') {
            puts_(c, "contains(");
            A();
        } else {
            puts_(c, "substring(");
            A();
            puts_(c, ", string-length(");
            A();
            puts_(c, ") - string-length(");
            put_literal(c, val, vlen);
            puts_(c, ") + 1) = ");
            put_literal(c, val, vlen);
            break;
        }
        puts_(c, ", ");
        put_literal(c, val, vlen);
        puts_(c, ")");
        break;
    }
    puts_(c, "]");
#undef A
out:
    free(name);
    free(val);
    return rc;
}

/* Largest |a| or |b| of an+b taken; more is surely a typo. */
#define NTH_MAX 1000000L

/* Parse the argument of :nth-*() ("2n+1", "odd", "-n+3", "4"). */
static int parse_nth(long *a, long *b, const char *s, size_t n)
{
    char t[32];
    size_t i, k = 0;
    char *end, *np;
    long v;

    for(i = 0; i < n; i++) {
        if(is_ws((unsigned char)s[i]))
            continue;
        if(k + 1 >= sizeof(t))
            return -1;
        t[k++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    }
    t[k] = '\0';
    if(!strcmp(t, "odd")) {
        *a = 2;
        *b = 1;
        return 0;
    }
    if(!strcmp(t, "even")) {
        *a = 2;
        *b = 0;
        return 0;
    }
    if(!k)
        return -1;
    np = strchr(t, 'n');
    if(!np) {
        if(!strchr("+-0123456789", t[0]))
            return -1;
        v = strtol(t, &end, 10);
        if(*end || end == t || v > NTH_MAX || v < -NTH_MAX)
            return -1;
        *a = 0;
        *b = v;
        return 0;
    }
    *np = '\0';
    if(!t[0] || !strcmp(t, "+")) {
        *a = 1;
    } else if(!strcmp(t, "-")) {
        *a = -1;
    } else {
        v = strtol(t, &end, 10);
        if(*end || end == t || v > NTH_MAX || v < -NTH_MAX)
            return -1;
        *a = v;
    }
    np++;
    if(!*np) {
        *b = 0;
        return 0;
    }
    if(*np != '+' && *np != '-')
        return -1;
    if(!(np[1] >= '0' && np[1] <= '9'))
        return -1;
    v = strtol(np, &end, 10);
    if(*end || v > NTH_MAX || v < -NTH_MAX)
        return -1;
    *b = v;
    return 0;
}

/* The 1-based position of the element among its element siblings, or
 * among those of its type. */
static void put_pos(struct css *c, int last, const char *type)
{
    puts_(c, "(count(");
    put_nametest(c, last ? "following-sibling::" : "preceding-sibling::",
                 type);
    puts_(c, ") + 1)");
}

/* [position matches an+b] */
static void put_nth(struct css *c, int last, const char *type, long a,
                    long b)
{
    puts_(c, "[");
    if(a == 0) {
        put_pos(c, last, type);
        putf(c, " = %ld", b);
    } else if(a > 0) {
        if(b > 1) {
            put_pos(c, last, type);
            putf(c, " >= %ld and ", b);
        }
        puts_(c, "(");
        put_pos(c, last, type);
        putf(c, " - (%ld)) mod %ld = 0", b, a);
    } else if(b < 1) {
        puts_(c, "false()");
    } else {
        put_pos(c, last, type);
        putf(c, " <= %ld and ((%ld) - ", b, b);
        put_pos(c, last, type);
        putf(c, ") mod %ld = 0", -a);
    }
    puts_(c, "]");
}

static int compound(struct css *c, const char *axis, int allow_empty);

/* :name or :name(args); `type` is the compound's element type or NULL. */
static int pseudo_class(struct css *c, struct cd_buf *tok, const char *type)
{
    size_t start = c->i, argstart;
    char *name = NULL;
    int rc;

    c->i++;
    rc = read_name(c, tok, 1, 0, "pseudo-class name");
    if(rc)
        return rc;
    name = cd_buf_detach(tok);
    if(!name)
        return CD_ENOMEM;

    if(!strcmp(name, "first-child")) {
        puts_(c, "[not(preceding-sibling::*)]");
    } else if(!strcmp(name, "last-child")) {
        puts_(c, "[not(following-sibling::*)]");
    } else if(!strcmp(name, "only-child")) {
        puts_(c, "[not(preceding-sibling::*) and "
                 "not(following-sibling::*)]");
    } else if(!strcmp(name, "empty")) {
        puts_(c, "[not(*) and not(string-length())]");
    } else if(!strcmp(name, "root")) {
        puts_(c, "[not(parent::*)]");
    } else if(!strcmp(name, "first-of-type") ||
              !strcmp(name, "last-of-type") ||
              !strcmp(name, "only-of-type")) {
        if(!type) {
            c->i = start;
            rc = fail(c, "':%s' needs an element type", name);
            goto out;
        }
        puts_(c, "[");
        if(name[1] != 'a') {
            puts_(c, "not(");
            put_nametest(c, "preceding-sibling::", type);
            puts_(c, ")");
        }
        if(name[1] == 'n')
            puts_(c, " and ");
        if(name[1] != 'i') {
            puts_(c, "not(");
            put_nametest(c, "following-sibling::", type);
            puts_(c, ")");
        }
        puts_(c, "]");
    } else if(!strncmp(name, "nth-", 4) &&
              (!strcmp(name + 4, "child") || !strcmp(name + 4, "last-child")
               || !strcmp(name + 4, "of-type") ||
               !strcmp(name + 4, "last-of-type"))) {
        int last = !strncmp(name + 4, "last", 4);
        int oftype = strstr(name, "of-type") != NULL;
        long a, b;

        if(peek(c) != '(') {
            rc = fail(c, "expected '(' after ':%s'", name);
            goto out;
        }
        c->i++;
        argstart = c->i;
        while(peek(c) && peek(c) != ')')
            c->i++;
        if(!peek(c)) {
            rc = fail(c, "expected ')'");
            goto out;
        }
        if(parse_nth(&a, &b, c->s + argstart, c->i - argstart)) {
            c->i = argstart;
            rc = fail(c, "bad argument of ':%s()', expected an+b", name);
            goto out;
        }
        c->i++;
        if(oftype && !type) {
            c->i = start;
            rc = fail(c, "':%s' needs an element type", name);
            goto out;
        }
        put_nth(c, last, oftype ? type : NULL, a, b);
    } else if(!strcmp(name, "not")) {
        if(peek(c) != '(') {
            rc = fail(c, "expected '(' after ':not'");
            goto out;
        }
        if(c->nest >= CD_CSS_MAX_NEST) {
            rc = fail(c, ":not() nested too deeply");
            goto out;
        }
        c->i++;
        skip_ws(c);
        puts_(c, "[not(");
        c->nest++;
        rc = compound(c, "self::", 0);
        c->nest--;
        if(rc)
            goto out;
        skip_ws(c);
        if(peek(c) != ')') {
            rc = fail(c, "expected ')'");
            goto out;
        }
        c->i++;
        puts_(c, ")]");
    } else if(!strcmp(name, "contains")) {
        if(peek(c) != '(') {
            rc = fail(c, "expected '(' after ':contains'");
            goto out;
        }
        c->i++;
        skip_ws(c);
        if(peek(c) == '"' || peek(c) == '\'')
            rc = read_string(c, tok);
        else
            rc = read_name(c, tok, 0, 1, "text");
        if(rc)
            goto out;
        skip_ws(c);
        if(peek(c) != ')') {
            rc = fail(c, "expected ')'");
            goto out;
        }
        c->i++;
        puts_(c, "[contains(string(.), ");
        put_literal(c, cd_buf_str(tok), tok->len);
        puts_(c, ")]");
    } else {
        c->i = start;
        rc = fail(c, "unknown pseudo-class ':%s'", name);
    }
out:
    free(name);
    return rc;
}

/*
 * One compound selector, written as `axis` + name test + predicates. An
 * empty compound is `*` when allow_empty and a pseudo-element follows.
 */
static int compound(struct css *c, const char *axis, int allow_empty)
{
    struct cd_buf tok = CD_BUF_INIT(CD_MAX_LINE);
    char *type = NULL;
    int rc = 0, any = 0;

    if(peek(c) == '*') {
        c->i++;
        any = 1;
    } else if(is_name_start(peek(c)) ||
              (peek(c) == '-' && is_name_start(peek2(c)))) {
        rc = read_name(c, &tok, 1, 0, "element name");
        if(rc)
            goto out;
        type = cd_buf_detach(&tok);
        if(!type) {
            rc = CD_ENOMEM;
            goto out;
        }
        any = 1;
    }
    put_nametest(c, axis, type);
    for(;;) {
        int ch = peek(c);

        if(ch == '#' || ch == '.') {
            c->i++;
            rc = read_name(c, &tok, 0, 1, ch == '#' ? "id" : "class name");
            if(rc)
                goto out;
            if(ch == '#') {
                puts_(c, "[@id = ");
                put_literal(c, cd_buf_str(&tok), tok.len);
                puts_(c, "]");
            } else {
                /* "@class and" first: most elements have no class,
                 * and then the costly string functions are skipped;
                 * ' name ' is one literal, not a concat() per node. */
                puts_(c, "[@class and contains(concat(' ', "
                         "normalize-space(@class), ' '), ");
                put_spaced_literal(c, cd_buf_str(&tok), tok.len);
                puts_(c, ")]");
            }
        } else if(ch == '[') {
            rc = attrib(c, &tok);
            if(rc)
                goto out;
        } else if(ch == ':' && peek2(c) != ':') {
            rc = pseudo_class(c, &tok, type);
            if(rc)
                goto out;
        } else {
            break;
        }
        any = 1;
    }
    if(!any && !(allow_empty && peek(c) == ':' && peek2(c) == ':')) {
        if(peek(c))
            rc = fail(c, "expected selector, got '%c'", c->s[c->i]);
        else
            rc = fail(c, "expected selector");
    }
out:
    free(type);
    cd_buf_dispose(&tok);
    if(!rc && c->rc)
        rc = c->rc;
    return rc;
}

/* ::text or ::attr(name) at c->i. */
static int pseudo_element(struct css *c)
{
    struct cd_buf tok = CD_BUF_INIT(CD_MAX_LINE);
    size_t start = c->i;
    int rc;

    c->i += 2;
    rc = read_name(c, &tok, 1, 0, "pseudo-element name");
    if(rc)
        goto out;
    if(!strcmp(cd_buf_str(&tok), "text")) {
        /* A node's value is its text already. */
    } else if(!strcmp(cd_buf_str(&tok), "attr")) {
        if(peek(c) != '(') {
            rc = fail(c, "expected '(' after '::attr'");
            goto out;
        }
        c->i++;
        skip_ws(c);
        rc = read_name(c, &tok, 1, 0, "attribute name");
        if(rc)
            goto out;
        skip_ws(c);
        if(peek(c) != ')') {
            rc = fail(c, "expected ')'");
            goto out;
        }
        c->i++;
        puts_(c, "/");
        put_attr(c, cd_buf_str(&tok));
    } else {
        c->i = start;
        rc = fail(c, "unknown pseudo-element '::%s'", cd_buf_str(&tok));
    }
out:
    cd_buf_dispose(&tok);
    return rc;
}

/* One selector of the list, up to ',' or the end. */
static int complex_sel(struct css *c)
{
    const char *axis;
    int rc, ws;

    skip_ws(c);
    rc = compound(c, "descendant-or-self::", 1);
    while(!rc) {
        if(peek(c) == ':' && peek2(c) == ':') {
            rc = pseudo_element(c);
            if(rc)
                break;
            skip_ws(c);
            if(peek(c) && peek(c) != ',')
                rc = fail(c, "expected ',' or the end after a "
                             "pseudo-element");
            break;
        }
        ws = skip_ws(c);
        if(!peek(c) || peek(c) == ',')
            break;
        if(peek(c) == '>') {
            axis = "/";
        } else if(peek(c) == '+') {
            axis = "/following-sibling::*[1]/self::";
        } else if(peek(c) == '~') {
            axis = "/following-sibling::";
        } else if(ws) {
            axis = "/descendant::";
        } else {
            rc = fail(c, "unexpected '%c'", c->s[c->i]);
            break;
        }
        if(peek(c) == '>' || peek(c) == '+' || peek(c) == '~') {
            c->i++;
            skip_ws(c);
        }
        rc = compound(c, axis, 1);
    }
    return rc;
}

int cd_css_to_xpath(char **out, const char *css, struct cd_error *err)
{
    struct css c;
    int rc;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.s = css;
    c.err = err;
    cd_buf_init(&c.out, CD_MAX_LINE);
    skip_ws(&c);
    if(!peek(&c))
        return fail(&c, "empty selector");
    c.i = 0;
    for(;;) {
        rc = complex_sel(&c);
        if(!rc)
            rc = c.rc;
        if(rc)
            goto out;
        if(peek(&c) != ',')
            break;
        c.i++;
        puts_(&c, " | ");
    }
    rc = c.rc;
    if(rc)
        goto out;
    *out = cd_buf_detach(&c.out);
    if(!*out)
        rc = CD_ENOMEM;
out:
    if(rc == CD_ENOMEM || rc == CD_ETOOBIG)
        cd_error_set(err, rc, "bad CSS selector '%s': %s", css,
                     rc == CD_ENOMEM ? "out of memory" : "too long");
    cd_buf_dispose(&c.out);
    return rc;
}
