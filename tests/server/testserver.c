/* SPDX-License-Identifier: MIT */
/*
 * The loopback test server (see testserver.h): libmicrohttpd with one thread
 * per connection, so that slow answers overlap and the crawler's per-host
 * concurrency can be measured here. A request is counted as "being served"
 * from the moment its handler runs until its answer is queued; the answer
 * is then on its way, and the client cannot start another request because
 * of it before that, so the high-water mark never over-counts.
 *
 * Divisions: counters, files under the root, building answers, the handler,
 * start and stop.
 */
#include "tests/server/testserver.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <microhttpd.h>

#define MAX_FILE (64u * 1024 * 1024)  /* largest file served */

struct hit {
    struct hit *next;
    char *path;                   /* query excluded */
    unsigned long n;              /* requests for it */
};

struct cd_testserver {
    struct MHD_Daemon *d;
    unsigned port;
    char *root;                   /* NULL: routes only */
    pthread_mutex_t lock;         /* guards everything below */
    const struct cd_route *routes;/* borrowed */
    size_t nroutes;
    struct hit *hits;             /* hit count per path */
    unsigned long total;          /* requests in all */
    unsigned cur;                 /* requests being served now */
    unsigned max;                 /* high-water mark of cur */
    int fault_all;                /* >0 status, -1 close, 0 off */
    int after_set;                /* fault_all from hit `after` on */
    unsigned long after;
    int validators;               /* ETag, Last-Modified, 304s */
    unsigned long body_bytes;     /* bytes of 2xx bodies sent */
    unsigned long not_modified;   /* 304s sent */
};

/* The Last-Modified of every answer when validators are on. */
#define LAST_MODIFIED "Wed, 01 Jan 2025 00:00:00 GMT"

/* ---- counters ---------------------------------------------------------- */

/* Count a hit of `path`; returns the path's new count. Called locked. */
static unsigned long count_hit(struct cd_testserver *ts, const char *path)
{
    struct hit *h;

    for(h = ts->hits; h; h = h->next)
        if(!strcmp(h->path, path))
            return ++h->n;
    h = calloc(1, sizeof(*h));
    if(!h)
        return 0;
    h->path = strdup(path);
    if(!h->path) {
        free(h);
        return 0;
    }
    h->next = ts->hits;
    ts->hits = h;
    return ++h->n;
}

unsigned long cd_testserver_hits(struct cd_testserver *ts, const char *path)
{
    struct hit *h;
    unsigned long n = 0;

    pthread_mutex_lock(&ts->lock);
    for(h = ts->hits; h; h = h->next)
        if(!strcmp(h->path, path))
            n = h->n;
    pthread_mutex_unlock(&ts->lock);
    return n;
}

unsigned long cd_testserver_total_hits(struct cd_testserver *ts)
{
    unsigned long n;

    pthread_mutex_lock(&ts->lock);
    n = ts->total;
    pthread_mutex_unlock(&ts->lock);
    return n;
}

unsigned cd_testserver_max_concurrent(struct cd_testserver *ts)
{
    unsigned n;

    pthread_mutex_lock(&ts->lock);
    n = ts->max;
    pthread_mutex_unlock(&ts->lock);
    return n;
}

static void free_hits(struct hit *h)
{
    while(h) {
        struct hit *next = h->next;

        free(h->path);
        free(h);
        h = next;
    }
}

void cd_testserver_reset_counts(struct cd_testserver *ts)
{
    pthread_mutex_lock(&ts->lock);
    free_hits(ts->hits);
    ts->hits = NULL;
    ts->total = 0;
    ts->body_bytes = 0;
    ts->not_modified = 0;
    ts->max = ts->cur;
    pthread_mutex_unlock(&ts->lock);
}

void cd_testserver_set_routes(struct cd_testserver *ts,
                              const struct cd_route *routes, size_t nroutes)
{
    pthread_mutex_lock(&ts->lock);
    ts->routes = routes;
    ts->nroutes = nroutes;
    pthread_mutex_unlock(&ts->lock);
}

void cd_testserver_set_validators(struct cd_testserver *ts, int on)
{
    pthread_mutex_lock(&ts->lock);
    ts->validators = on;
    pthread_mutex_unlock(&ts->lock);
}

unsigned long cd_testserver_body_bytes(struct cd_testserver *ts)
{
    unsigned long n;

    pthread_mutex_lock(&ts->lock);
    n = ts->body_bytes;
    pthread_mutex_unlock(&ts->lock);
    return n;
}

unsigned long cd_testserver_not_modified(struct cd_testserver *ts)
{
    unsigned long n;

    pthread_mutex_lock(&ts->lock);
    n = ts->not_modified;
    pthread_mutex_unlock(&ts->lock);
    return n;
}

void cd_testserver_set_fault_all(struct cd_testserver *ts, int status)
{
    pthread_mutex_lock(&ts->lock);
    ts->fault_all = status;
    ts->after_set = 0;
    pthread_mutex_unlock(&ts->lock);
}

void cd_testserver_fault_after(struct cd_testserver *ts, unsigned long hits,
                               int status)
{
    pthread_mutex_lock(&ts->lock);
    ts->fault_all = status;
    ts->after_set = 1;
    ts->after = ts->total + hits;
    pthread_mutex_unlock(&ts->lock);
}

/* ---- files under the root ---------------------------------------------- */

/* The media type for a file name, by extension. */
static const char *type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".html", "text/html" },       { ".htm", "text/html" },
        { ".json", "application/json" }, { ".csv", "text/csv" },
        { ".xml", "application/xml" },  { ".txt", "text/plain" },
        { ".geojson", "application/geo+json" },
    };
    const char *dot = strrchr(path, '.');
    size_t i;

    if(dot && !strchr(dot, '/'))
        for(i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if(!strcasecmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

/* Whether a URL path is safe to join to the root: absolute, no ".."
 * segment, no backslash. */
static int path_ok(const char *p)
{
    const char *s = p;

    if(*p != '/' || strchr(p, '\\'))
        return 0;
    while((s = strstr(s, "..")) != NULL) {
        int starts = s[-1] == '/';
        int ends = s[2] == '/' || s[2] == '\0';

        if(starts && ends)
            return 0;
        s += 2;
    }
    return 1;
}

/*
 * Read the file for `url` under the root into *out (malloc'd, *len bytes);
 * a folder gives its index.html. *type is its media type. 0, or -1 when
 * there is no such file or the path is refused.
 */
static int read_file(char **out, size_t *len, const char **type,
                     const struct cd_testserver *ts, const char *url)
{
    char path[4096];
    struct stat st;
    FILE *f = NULL;
    char *buf = NULL;
    int n;

    if(!ts->root || !path_ok(url))
        return -1;
    n = snprintf(path, sizeof(path), "%s%s", ts->root, url);
    if(n < 0 || (size_t)n >= sizeof(path) - 16 || stat(path, &st))
        return -1;
    if(S_ISDIR(st.st_mode)) {
        size_t l = strlen(path);

        snprintf(path + l, sizeof(path) - l, "%sindex.html",
                 path[l - 1] == '/' ? "" : "/");
        if(stat(path, &st))
            return -1;
    }
    if(!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > MAX_FILE)
        return -1;
    f = fopen(path, "rb");
    buf = malloc((size_t)st.st_size + 1);
    if(!f || !buf ||
       fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        if(f)
            fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    *out = buf;
    *len = (size_t)st.st_size;
    *type = type_of(path);
    return 0;
}

/* ---- building answers -------------------------------------------------- */

struct truncated {
    char *data;
    size_t len;   /* declared */
    size_t cut;   /* sent before the connection closes */
};

static ssize_t truncated_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct truncated *t = cls;
    size_t n;

    if(pos >= t->cut)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    n = t->cut - (size_t)pos;
    if(n > max)
        n = max;
    memcpy(buf, t->data + pos, n);
    return (ssize_t)n;
}

static void truncated_free(void *cls)
{
    struct truncated *t = cls;

    free(t->data);
    free(t);
}

/* Add "Name: value\n" lines to a response. */
static void add_headers(struct MHD_Response *r, const char *lines)
{
    char name[256], value[1024];

    while(lines && *lines) {
        const char *eol = strchr(lines, '\n');
        const char *colon = strchr(lines, ':');
        size_t ln = eol ? (size_t)(eol - lines) : strlen(lines);

        if(colon && colon < lines + ln &&
           (size_t)(colon - lines) < sizeof(name)) {
            const char *v = colon + 1;
            size_t vn;

            memcpy(name, lines, (size_t)(colon - lines));
            name[colon - lines] = '\0';
            while(*v == ' ')
                v++;
            vn = (size_t)(lines + ln - v);
            if(vn >= sizeof(value))
                vn = sizeof(value) - 1;
            memcpy(value, v, vn);
            value[vn] = '\0';
            if(vn && value[vn - 1] == '\r')
                value[vn - 1] = '\0';
            MHD_add_response_header(r, name, value);
        }
        lines += ln;
        if(*lines == '\n')
            lines++;
    }
}

static void sleep_ms(unsigned ms)
{
    struct timespec t = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

    while(ms && nanosleep(&t, &t))
        ;
}

/* What the handler decided under the lock. */
struct plan {
    struct cd_route route;  /* copy of the matching route, or zeroes */
    int has_route;
    int active;             /* the route's status and fault apply */
    int fault_all;          /* >0 status, -1 close, 0 none */
    int validators;         /* answer with ETag and Last-Modified */
    const char *inm;        /* the request's If-None-Match; MAY be NULL */
    const char *ims;        /* its If-Modified-Since; MAY be NULL */
    size_t sent;            /* out: body bytes of a 2xx answer */
    int was_304;            /* out: answered 304 */
};

/* A weak hash of a body for its ETag (FNV-1a, 64 bits). */
static void etag_of(char out[24], const char *p, size_t n)
{
    unsigned long long h = 1469598103934665603ull;
    size_t i;

    for(i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    snprintf(out, 24, "\"%016llx\"", h);
}

/* Build the answer for `url` following `p`. NULL means: close the
 * connection. */
static struct MHD_Response *answer(unsigned *status,
                                   const struct cd_testserver *ts,
                                   const char *url, struct plan *p)
{
    const struct cd_route *rt = &p->route;
    struct MHD_Response *r = NULL;
    char *data = NULL, ctype[128];
    const char *type = NULL, *charset;
    char etag[24];
    size_t len = 0;
    int have;

    if(p->fault_all < 0 || (p->active && rt->fault == CD_FAULT_CLOSE))
        return NULL;
    if(p->fault_all > 0) {
        static const char msg[] = "injected failure\n";

        *status = (unsigned)p->fault_all;
        return MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
                                               MHD_RESPMEM_PERSISTENT);
    }
    *status = p->active && rt->status ? rt->status : 200;
    if(p->active && rt->fault == CD_FAULT_LOOP)
        *status = 302;
    if(p->has_route && rt->body) {
        len = rt->body_len ? rt->body_len : strlen(rt->body);
        data = malloc(len + 1);
        if(data)
            memcpy(data, rt->body, len);
        type = type_of(url);
        have = data != NULL;
    } else {
        have = !read_file(&data, &len, &type, ts, url);
    }
    if(!have) {
        if(*status == 200)
            *status = 404;
        data = strdup("not found\n");
        len = data ? strlen(data) : 0;
        type = "text/plain";
    }
    if(p->has_route && rt->content_type)
        type = rt->content_type;
    if(p->validators && *status == 200 && data) {
        etag_of(etag, data, len);
        if(p->inm ? !strcmp(p->inm, etag)
                  : p->ims && !strcmp(p->ims, LAST_MODIFIED)) {
            free(data);
            *status = 304;
            p->was_304 = 1;
            r = MHD_create_response_from_buffer(0, NULL,
                                                MHD_RESPMEM_PERSISTENT);
            if(r) {
                MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
                MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED,
                                        LAST_MODIFIED);
            }
            return r;
        }
    }
    if(*status >= 200 && *status < 300)
        p->sent = len;
    if(p->active && rt->fault == CD_FAULT_TRUNCATE && len > 1) {
        struct truncated *t = malloc(sizeof(*t));

        if(!t) {
            free(data);
            return NULL;
        }
        t->data = data;
        t->len = len;
        t->cut = len / 2;
        r = MHD_create_response_from_callback(len, 4096, truncated_read, t,
                                              truncated_free);
        if(!r)
            truncated_free(t);
    } else {
        r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if(!r)
            free(data);
    }
    if(!r)
        return NULL;
    charset = p->has_route && rt->charset ? rt->charset : NULL;
    if(!charset && !strncmp(type, "text/", 5))
        charset = "utf-8";
    if(charset)
        snprintf(ctype, sizeof(ctype), "%s; charset=%s", type, charset);
    else
        snprintf(ctype, sizeof(ctype), "%s", type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    if(*status >= 300 && *status < 400)
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION,
                                rt->location ? rt->location : url);
    if(p->validators && *status == 200) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
        MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED,
                                LAST_MODIFIED);
    }
    if(p->has_route)
        add_headers(r, rt->headers);
    return r;
}

/* ---- the handler ------------------------------------------------------- */


/*
 * Whether route path `rp` names the request for `url`: the same path, and
 * when rp has "?name=value", a query parameter name with that (decoded)
 * value, so that pages of one path can differ by their query.
 */
static int route_matches(struct MHD_Connection *c, const char *rp,
                         const char *url)
{
    const char *q = strchr(rp, '?'), *eq, *v;
    char name[128];
    size_t n;

    if(!q)
        return !strcmp(rp, url);
    if(strlen(url) != (size_t)(q - rp) || strncmp(rp, url, (size_t)(q - rp)))
        return 0;
    eq = strchr(q + 1, '=');
    if(!eq || (n = (size_t)(eq - q - 1)) >= sizeof(name))
        return 0;
    memcpy(name, q + 1, n);
    name[n] = '\0';
    v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return v && !strcmp(v, eq + 1);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    static int first_call_marker;
    struct cd_testserver *ts = cls;
    struct MHD_Response *r;
    struct plan p;
    unsigned status = 200;
    unsigned long nhit;
    enum MHD_Result ret;
    size_t i;

    (void)version;
    (void)upload_data;
    if(!*con_cls) {
        /* Headers are in; the answer comes on the next call. */
        *con_cls = &first_call_marker;
        return MHD_YES;
    }
    if(*upload_size) {
        *upload_size = 0;  /* bodies of POSTs are ignored */
        return MHD_YES;
    }
    (void)method;
    memset(&p, 0, sizeof(p));
    pthread_mutex_lock(&ts->lock);
    ts->total++;
    nhit = count_hit(ts, url);
    if(++ts->cur > ts->max)
        ts->max = ts->cur;
    if(ts->fault_all && (!ts->after_set || ts->total > ts->after))
        p.fault_all = ts->fault_all;
    p.validators = ts->validators;
    for(i = 0; i < ts->nroutes; i++) {
        if(route_matches(c, ts->routes[i].path, url)) {
            p.route = ts->routes[i];
            p.has_route = 1;
            p.active = !p.route.times || nhit <= p.route.times;
            break;
        }
    }
    pthread_mutex_unlock(&ts->lock);

    if(p.has_route && p.route.delay_ms)
        sleep_ms(p.route.delay_ms);
    p.inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                        MHD_HTTP_HEADER_IF_NONE_MATCH);
    p.ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                        MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
    r = answer(&status, ts, url, &p);

    pthread_mutex_lock(&ts->lock);
    ts->cur--;
    ts->body_bytes += r ? p.sent : 0;
    ts->not_modified += p.was_304;
    pthread_mutex_unlock(&ts->lock);
    if(!r)
        return MHD_NO;  /* closes the connection without an answer */
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- start and stop ---------------------------------------------------- */


int cd_testserver_start(struct cd_testserver **out, const char *root_dir,
                        const struct cd_route *routes, size_t nroutes,
                        unsigned port)
{
    struct cd_testserver *ts = calloc(1, sizeof(*ts));
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *info;

    *out = NULL;
    if(!ts)
        return -1;
    pthread_mutex_init(&ts->lock, NULL);
    ts->routes = routes;
    ts->nroutes = nroutes;
    if(root_dir) {
        ts->root = strdup(root_dir);
        if(!ts->root)
            goto fail;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ts->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
                                 MHD_USE_INTERNAL_POLLING_THREAD,
                             (uint16_t)port, NULL, NULL, on_request, ts,
                             MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                             MHD_OPTION_CONNECTION_TIMEOUT, 10u,
                             MHD_OPTION_END);
    if(!ts->d)
        goto fail;
    info = MHD_get_daemon_info(ts->d, MHD_DAEMON_INFO_BIND_PORT);
    if(!info || !info->port)
        goto fail;
    ts->port = info->port;
    *out = ts;
    return 0;
fail:
    cd_testserver_stop(ts);
    return -1;
}

unsigned cd_testserver_port(const struct cd_testserver *ts)
{
    return ts->port;
}

void cd_testserver_stop(struct cd_testserver *ts)
{
    if(!ts)
        return;
    if(ts->d)
        MHD_stop_daemon(ts->d);
    free_hits(ts->hits);
    free(ts->root);
    pthread_mutex_destroy(&ts->lock);
    free(ts);
}
