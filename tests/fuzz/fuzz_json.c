/* fuzz_json: libFuzzer target over the JSON reader the spec runner uses. */
#include "../../src/cli/json.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json v;
    char err[128];
    if (json_parse((const char *)data, size, &v, err, sizeof err)) {
        (void)json_get_str(&v, "source_filename");
        json_free(&v);
    }
    return 0;
}
