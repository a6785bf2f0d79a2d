/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer with a ceiling (after curl's dynbuf).
 *
 * Every buffer is created with a maximum size. Growing past it returns
 * CD_ETOOBIG; any failed append frees the buffer, so a caller never keeps a
 * half-written value. When ptr is not NULL it is always NUL-terminated.
 */
#ifndef CD_BUF_H
#define CD_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Ceilings used across citydir. */
#define CD_MAX_BODY   (16u * 1024 * 1024)  /* one fetched document */
#define CD_MAX_FIELD  (64u * 1024)         /* one extracted value */
#define CD_MAX_LINE   (1024u * 1024)       /* one line or small document */

struct cd_buf {
    char *ptr;   /* the bytes, NUL-terminated; NULL while empty */
    size_t len;  /* bytes used, without the NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* ceiling for len */
};

#define CD_BUF_INIT(maxlen) { NULL, 0, 0, (maxlen) }

/* Set up an empty buffer that may grow to `max` bytes. */
void cd_buf_init(struct cd_buf *b, size_t max);

/* Append n bytes. 0, CD_ETOOBIG or CD_ENOMEM (the buffer is then freed). */
int cd_buf_put(struct cd_buf *b, const void *p, size_t n);
int cd_buf_puts(struct cd_buf *b, const char *s);
int cd_buf_putc(struct cd_buf *b, char c);
int cd_buf_printf(struct cd_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cd_buf_vprintf(struct cd_buf *b, const char *fmt, va_list ap);

/* Keep the allocation, drop the contents. */
void cd_buf_reset(struct cd_buf *b);

/*
 * Move the contents out: returns the NUL-terminated string (an empty
 * string, never NULL, unless allocation fails) and leaves the buffer empty.
 * The caller owns the result and frees it with free().
 */
char *cd_buf_detach(struct cd_buf *b);

/* Free the contents; the buffer can be used again. */
void cd_buf_dispose(struct cd_buf *b);

/* The contents as a string, "" while empty. Borrowed from the buffer. */
const char *cd_buf_str(const struct cd_buf *b);

#endif
