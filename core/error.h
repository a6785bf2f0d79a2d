/* SPDX-License-Identifier: MIT */
/*
 * Error codes and the error buffer every fallible function writes into.
 *
 * A fallible function returns 0 or a negative enum cd_err and, when the
 * caller passed a struct cd_error, leaves a one-line message there that says
 * what went wrong and where (file:line or URL). Errors are passed up
 * unchanged; the outermost caller prints err.msg.
 */
#ifndef CD_ERROR_H
#define CD_ERROR_H

#include <stddef.h>

enum cd_err {
    CD_OK = 0,
    CD_ERROR = -1,      /* generic failure */
    CD_ENOTFOUND = -2,  /* the thing asked for does not exist */
    CD_EINVALID = -3,   /* bad input: definition, document, argument */
    CD_EIO = -4,        /* file system or database failure */
    CD_ENET = -5,       /* network failure */
    CD_ETOOBIG = -6,    /* a ceiling was reached */
    CD_EDECLINED = -7,  /* "not my document": a parser passes */
    CD_EUSER = -8,      /* a callback stopped the work */
    CD_ENOMEM = -9,     /* out of memory */
    CD_EBUSY = -10,     /* another process holds the resource */
};

#define CD_ERROR_MSG_MAX 512

struct cd_error {
    int code;                    /* last code set, 0 when none */
    char msg[CD_ERROR_MSG_MAX];  /* one line, no trailing newline */
};

/*
 * Record an error. `err` may be NULL (the caller does not want the text).
 * Returns `code`, so a function can `return cd_error_set(err, ...)`.
 * An existing message is overwritten.
 */
int cd_error_set(struct cd_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Forget the last error. NULL is accepted. */
void cd_error_clear(struct cd_error *err);

/* A short constant text for a code ("invalid input"). Never NULL. */
const char *cd_strerror(int code);

#endif
