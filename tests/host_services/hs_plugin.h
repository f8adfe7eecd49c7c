/* Shared scaffolding for the host-services test plugins: real C built against
 * the SDK header only, reporting what each service returned as signal details
 * for the end-to-end test to compare with what the core promises. */
#ifndef HS_PLUGIN_H
#define HS_PLUGIN_H

#include <hermes_inspect/plugin.h>

#include <stddef.h>

#define HS_SIGNAL(var, sid)                                                                  \
  static const hi_signal_desc var = {sizeof(hi_signal_desc), sid, "Host services: " sid,    \
                                     "What a host service returned.", NULL, NULL, NULL}

#define HS_PLUGIN(name, signals)                                                              \
  static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, name, \
                                      "0.0.1", "Host services test plugin",                   \
                                      (uint32_t)(sizeof(signals) / sizeof(signals[0])), signals, \
                                      probe};                                                  \
  HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }

static inline int hs_report(const hi_host *host, const char *id, int32_t status, const char *detail,
                            const char *fix) {
  hi_result r = {sizeof(hi_result), id, status, detail, fix, 0};
  return host->report(host->ctx, &r);
}

#endif
