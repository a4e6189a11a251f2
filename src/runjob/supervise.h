/*
 * supervise.h - runjob --supervise (supervise.c): long-running components,
 * each under a keeper, restarted when they end, stopped together.
 */
#ifndef SUPERVISE_H
#define SUPERVISE_H

/* The whole of runjob --supervise; argv[1] is "--supervise". */
int supervise_main(int argc, char **argv);

#endif
