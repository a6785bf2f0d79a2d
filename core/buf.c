/* SPDX-License-Identifier: MIT */
/* The growable byte buffer with a ceiling. */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void cd_buf_init(struct cd_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void cd_buf_dispose(struct cd_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}

void cd_buf_reset(struct cd_buf *b)
{
    b->len = 0;
    if(b->ptr)
        b->ptr[0] = '\0';
}

/* Make room for `n` more bytes plus the NUL. */
static int grow(struct cd_buf *b, size_t n)
{
    size_t need, cap;
    char *p;

    if(n > b->max || b->len > b->max - n) {
        cd_buf_dispose(b);
        return CD_ETOOBIG;
    }
    need = b->len + n + 1;
    if(need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while(cap < need)
        cap = cap * 2;
    if(cap > b->max + 1)
        cap = b->max + 1;
    p = realloc(b->ptr, cap);
    if(!p) {
        cd_buf_dispose(b);
        return CD_ENOMEM;
    }
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int cd_buf_put(struct cd_buf *b, const void *p, size_t n)
{
    int rc = grow(b, n);

    if(rc)
        return rc;
    if(n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int cd_buf_puts(struct cd_buf *b, const char *s)
{
    return cd_buf_put(b, s, strlen(s));
}

int cd_buf_putc(struct cd_buf *b, char c)
{
    return cd_buf_put(b, &c, 1);
}

int cd_buf_vprintf(struct cd_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n, rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if(n < 0) {
        cd_buf_dispose(b);
        return CD_ERROR;
    }
    rc = grow(b, (size_t)n);
    if(rc)
        return rc;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int cd_buf_printf(struct cd_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cd_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *cd_buf_detach(struct cd_buf *b)
{
    char *p = b->ptr;

    if(!p)
        p = calloc(1, 1);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

const char *cd_buf_str(const struct cd_buf *b)
{
    return b->ptr ? b->ptr : "";
}
