/* defmodel.h - the built-in model (defmodel.c, made by `make model`). */
#ifndef CLASSIFY_DEFMODEL_H
#define CLASSIFY_DEFMODEL_H
extern const char default_model[];
#endif
