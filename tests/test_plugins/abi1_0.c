/* Laid out exactly as ABI 1.0 defines its structs: every struct_size ends at
 * the last 1.0 field, whatever later minors append to the header. */
#include "test_plugin.h"

#define END_OF(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

static const hi_signal_desc sig = {END_OF(hi_signal_desc, commands), "test-abi1-0", "ABI 1.0 layout",
                                   "Written with the structs of ABI 1.0", "Rationale of 1.0", "Fix of 1.0",
                                   "true"};
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  test_report(host, "test-abi1-0", HI_STATUS_PASS, "ABI 1.0 structs accepted");
  return 0;
}

static const hi_plugin_desc desc = {END_OF(hi_plugin_desc, probe), 1, 0, "abi1_0", "0.1.0", "ABI 1.0 layout",
                                    1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
