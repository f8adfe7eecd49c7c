/* Reports a status outside hi_status, then returns non-zero from probe(). */
#include "hs_plugin.h"

HS_SIGNAL(sig_status, "hs-misreport-status");
HS_SIGNAL(sig_ok, "hs-misreport-ok");
static const hi_signal_desc *const signals[] = {&sig_status, &sig_ok};

static int probe(const hi_host *host) {
  const int rc = hs_report(host, "hs-misreport-status", 9, "status nine", NULL);
  hs_report(host, "hs-misreport-ok", HI_STATUS_PASS,
            rc == HI_ERR_INVALID ? host->last_error(host->ctx) : "status 9 accepted", NULL);
  return 7;
}

HS_PLUGIN("hs_misreport", signals)
