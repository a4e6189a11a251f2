/* Made by `make model` from the labelled data: do not edit. */
#include "defmodel.h"

const char default_model[] = "";
