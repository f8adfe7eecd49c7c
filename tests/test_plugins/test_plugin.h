/* Shared scaffolding for the misbehaving test plugins: each is real C built
 * against the SDK header only, exactly as a third party would build it. */
#ifndef HI_TEST_PLUGIN_H
#define HI_TEST_PLUGIN_H

#include <hermes_inspect/plugin.h>

#include <stddef.h>

#define TEST_SIGNAL(var, sid)                                                             \
  static const hi_signal_desc var = {sizeof(hi_signal_desc), sid, "Test signal " sid,   \
                                     "A signal of a test plugin.", "Tests need it.",     \
                                     "nothing to fix", NULL}

static inline void test_report(const hi_host *host, const char *id, int status, const char *detail) {
  hi_result r = {sizeof(hi_result), id, status, detail, NULL, 0};
  host->report(host->ctx, &r);
}

#endif
