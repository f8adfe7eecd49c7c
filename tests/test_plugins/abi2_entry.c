/* A plugin as an ABI 2 SDK would build it: its entry point is
 * hermes_inspect_plugin_v2 and there is no _v1. The descriptor's layout is
 * ABI 2's business; this core must refuse without calling the entry. */
#include <stdint.h>

#define HI_TEST_ABI2_EXPORT __attribute__((visibility("default")))

struct abi2_desc {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char *name;
};

static const struct abi2_desc desc = {sizeof(struct abi2_desc), 2, 0, "abi2_entry"};

HI_TEST_ABI2_EXPORT const struct abi2_desc *hermes_inspect_plugin_v2(void);
const struct abi2_desc *hermes_inspect_plugin_v2(void) { return &desc; }
