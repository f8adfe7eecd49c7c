/* Signal descriptors as a header lacking the optional trailing fields would
 * have laid them out: struct_size ends after `description`. */
#include "test_plugin.h"

static const hi_signal_desc sig = {offsetof(hi_signal_desc, rationale), "test-older-struct", "Older struct",
                                   "Written with a shorter descriptor", "MUST NOT BE READ", "MUST NOT BE READ",
                                   "MUST NOT BE READ"};
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  test_report(host, "test-older-struct", HI_STATUS_PASS, "older struct sizes accepted");
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, 0, "older_struct", "0.1.0",
                                    "Shorter signal descriptors", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
