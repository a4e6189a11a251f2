/* Fuzz target: a JSON line as any stage reads it, and every field getter. */
#include <stdint.h>
#include <stdlib.h>
#include "tgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonl in;
	cJSON *obj;
	int64_t v;

	jsonl_open_mem(&in, (const char *)data, size, "<fuzz>");
	in.max = 4096;
	while (jsonl_getline(&in) == 1) {
		if (!(obj = jsonl_parse(&in)))
			continue;
		json_int64(obj, "chat_id", &v);
		json_str(obj, "text");
		json_bool(obj, "ok", 0);
		json_set_int64(obj, "chat_id", 1);
		char *s = cJSON_PrintUnformatted(obj);
		free(s);
		cJSON_Delete(obj);
	}
	jsonl_close(&in);
	return 0;
}
