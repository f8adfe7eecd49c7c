/* Built for ABI 1.(HI_ABI_MINOR+1): the descriptor carries one field this core
 * does not know. NEWER_FIELD_VALUE 0 must load; non-zero must be refused. */
#include "test_plugin.h"

TEST_SIGNAL(sig, NEWER_SIGNAL_ID);
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  test_report(host, NEWER_SIGNAL_ID, HI_STATUS_PASS, "loaded with a zero unknown tail");
  return 0;
}

struct future_desc {
  hi_plugin_desc known;
  const void *added_in_next_minor;
};

static const struct future_desc desc = {
    {sizeof(struct future_desc), HI_ABI_MAJOR, HI_ABI_MINOR + 1, NEWER_PLUGIN_NAME, "0.1.0",
     "Built for a newer minor", 1, signals, probe},
    NEWER_FIELD_VALUE};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc.known; }
