/*
 * split.h - cut a long text into Telegram-sized messages.
 *
 * Telegram counts a message in UTF-16 code units (an emoji outside the
 * BMP is two) and refuses more than 4096.  split_text cuts at the last
 * paragraph break that leaves the part at least half full, else the last
 * line break, else the last space, else between two characters; never
 * inside a UTF-8 sequence, an HTML tag or entity, or a MarkdownV2 escape
 * or link.  With markup, a part that ends inside bold, code, a link's
 * text... closes what is open and the next part opens it again, so every
 * part parses on its own.  Every part fits, always: markup whose
 * reopening would cost more than half a part (a tag, a link, nesting
 * that long) is cut like text.
 *
 * The count is of the raw text, markup included.  Telegram counts the
 * text after its markup is parsed, which is never longer, so a part that
 * fits here fits there.
 */
#ifndef SPLIT_H
#define SPLIT_H

#include <stddef.h>

enum split_mode { SPLIT_PLAIN, SPLIT_HTML, SPLIT_MARKDOWNV2 };

enum { TELEGRAM_MAX_TEXT = 4096 };

/* UTF-16 code units of n bytes of UTF-8 (an invalid byte counts one). */
size_t utf16_units(const char *s, size_t n);

/*
 * Splits s (n bytes of UTF-8) into parts of at most max UTF-16 units,
 * each trimmed of the whitespace at the cut; whitespace-only parts are
 * left out.  Returns the number of parts and sets *parts to a malloc'd
 * array of malloc'd strings (split_free releases them).  max must be at
 * least 64, so that the markup reopened in a part leaves room for text.
 */
size_t split_text(const char *s, size_t n, size_t max, enum split_mode mode,
                  char ***parts);
void split_free(char **parts, size_t count);

#endif
