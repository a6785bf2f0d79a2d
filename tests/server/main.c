/* SPDX-License-Identifier: MIT */
/*
 * citydir-testserver: the loopback test server as a program, for `make
 * demo` and for trying the crawler by hand against a site with faults.
 *
 *   citydir-testserver --root DIR [--port N] [--port-file FILE]
 *                      [--fault PATH=STATUS|delay:MS|truncate|loop|close]...
 *
 * Prints "listening on http://127.0.0.1:PORT/" and serves until SIGTERM or
 * SIGINT.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "tests/server/testserver.h"

#define MAX_FAULTS 64

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: citydir-testserver --root DIR [--port N] "
               "[--port-file FILE]\n"
               "         [--fault PATH=STATUS|delay:MS|truncate|loop|close]"
               "...\n");
}

/* Fill a route from "PATH=SPEC"; the route points into `arg`, which is
 * modified. 0 or -1. */
static int parse_fault(struct cd_route *rt, char *arg)
{
    char *eq = strchr(arg, '=');
    unsigned long v;

    if(!eq || arg[0] != '/')
        return -1;
    *eq = '\0';
    memset(rt, 0, sizeof(*rt));
    rt->path = arg;
    arg = eq + 1;
    if(!strcmp(arg, "truncate"))
        rt->fault = CD_FAULT_TRUNCATE;
    else if(!strcmp(arg, "loop"))
        rt->fault = CD_FAULT_LOOP;
    else if(!strcmp(arg, "close"))
        rt->fault = CD_FAULT_CLOSE;
    else if(!strncmp(arg, "delay:", 6) && !cd_parse_uint(&v, arg + 6, 600000))
        rt->delay_ms = (unsigned)v;
    else if(!cd_parse_uint(&v, arg, 599) && v >= 100)
        rt->status = (unsigned)v;
    else
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    struct cd_route routes[MAX_FAULTS];
    struct cd_testserver *ts = NULL;
    struct sigaction sa;
    const char *root = NULL, *port_file = NULL;
    unsigned long port = 0;
    size_t nroutes = 0;
    sigset_t mask, old;
    int i;

    for(i = 1; i < argc; i++) {
        const char *a = argv[i];

        if(!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if(i + 1 >= argc) {
            usage(stderr);
            return 2;
        }
        if(!strcmp(a, "--root")) {
            root = argv[++i];
        } else if(!strcmp(a, "--port-file")) {
            port_file = argv[++i];
        } else if(!strcmp(a, "--port")) {
            if(cd_parse_uint(&port, argv[++i], 65535)) {
                fprintf(stderr, "citydir-testserver: bad port '%s'\n",
                        argv[i]);
                return 2;
            }
        } else if(!strcmp(a, "--fault")) {
            if(nroutes == MAX_FAULTS ||
               parse_fault(&routes[nroutes], argv[++i])) {
                fprintf(stderr, "citydir-testserver: bad fault '%s'\n",
                        argv[i]);
                return 2;
            }
            nroutes++;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if(!root) {
        usage(stderr);
        return 2;
    }

    /* Block the signals until we wait for them, so none is lost. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, &old);

    if(cd_testserver_start(&ts, root, routes, nroutes, (unsigned)port)) {
        fprintf(stderr, "citydir-testserver: cannot listen on port %lu\n",
                port);
        return 1;
    }
    if(port_file) {
        /* Written aside and renamed, so a reader never sees half a file. */
        char tmp[4096];
        FILE *f = NULL;

        snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
        f = fopen(tmp, "w");
        if(!f || fprintf(f, "%u\n", cd_testserver_port(ts)) < 0 ||
           fclose(f) || rename(tmp, port_file)) {
            fprintf(stderr, "citydir-testserver: cannot write %s\n",
                    port_file);
            cd_testserver_stop(ts);
            return 1;
        }
    }
    printf("listening on http://127.0.0.1:%u/\n", cd_testserver_port(ts));
    fflush(stdout);
    while(!stop)
        sigsuspend(&old);
    cd_testserver_stop(ts);
    return 0;
}
