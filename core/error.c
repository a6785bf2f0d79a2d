/* SPDX-License-Identifier: MIT */
/* The error buffer: formatting messages and naming codes. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

int cd_error_set(struct cd_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    if(!err)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void cd_error_clear(struct cd_error *err)
{
    if(!err)
        return;
    err->code = 0;
    err->msg[0] = '\0';
}

const char *cd_strerror(int code)
{
    switch(code) {
    case CD_OK:        return "success";
    case CD_ERROR:     return "error";
    case CD_ENOTFOUND: return "not found";
    case CD_EINVALID:  return "invalid input";
    case CD_EIO:       return "input/output error";
    case CD_ENET:      return "network error";
    case CD_ETOOBIG:   return "too big";
    case CD_EDECLINED: return "declined";
    case CD_EUSER:     return "stopped by callback";
    case CD_ENOMEM:    return "out of memory";
    case CD_EBUSY:     return "busy";
    default:           return "unknown error";
    }
}
