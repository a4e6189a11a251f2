/* defaults.h - the built-in rules text (defaults.c). */
#ifndef CLASSIFY_DEFAULTS_H
#define CLASSIFY_DEFAULTS_H
extern const char default_rules[];
#endif
