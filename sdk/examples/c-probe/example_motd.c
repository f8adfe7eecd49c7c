/* example-motd: does the message of the day name the host?
 *
 * A complete hermes-inspect plugin in plain C99. It reads two files under the
 * inspected root (--root) through the host services and runs no command. */
#include <hermes_inspect/plugin.h>

#include <stdio.h>
#include <string.h>

#define SIGNAL_ID "example-motd"
#define HOSTNAME_PATH "/etc/hostname"
#define MOTD_PATH "/etc/motd"
#define FIX "Remove the host name from /etc/motd"
/* Both files are a few lines; anything bigger is not what we are looking for. */
#define MAX_FILE_BYTES (64 * 1024)

/* Descriptors are static: the core reads them for the life of the process. */
static const hi_signal_desc motd_signal = {
    sizeof(hi_signal_desc),
    SIGNAL_ID,
    "Message of the day does not name the host",
    "Reads /etc/hostname and /etc/motd under the root; fails when the motd contains the host name.",
    "The motd lands in every login transcript pasted into tickets, chats and screenshots; "
    "a generic one keeps internal host names out of them.",
    FIX,
    NULL /* runs no command */
};

static const hi_signal_desc *const signals[] = {&motd_signal};

static void report(const hi_host *host, hi_status status, const char *detail, const char *fix,
                   uint32_t flags) {
  hi_result result;
  memset(&result, 0, sizeof result);
  result.struct_size = sizeof result;
  result.signal_id = SIGNAL_ID;
  result.status = (int32_t)status; /* the ABI carries hi_status as int32_t */
  result.detail = detail; /* copied by the core during the call */
  result.fix = fix;
  result.flags = flags;
  host->report(host->ctx, &result);
}

/* Reads PATH under the root into *file (the core's memory, valid until probe() returns). */
static int read_small_file(const hi_host *host, const char *path, hi_file *file) {
  memset(file, 0, sizeof *file);
  file->struct_size = sizeof *file;
  return host->read_file(host->ctx, path, 0, MAX_FILE_BYTES, file);
}

/* A file that exists but cannot be read says nothing about the host: never fail for it. */
static void report_unreadable(const hi_host *host, const char *path, int rc) {
  char detail[512];
  if (rc == HI_ERR_NOT_FOUND) {
    snprintf(detail, sizeof detail, "no %s under the root", path);
    report(host, HI_STATUS_SKIP, detail, NULL, 0);
  } else if (rc == HI_ERR_PERMISSION) {
    snprintf(detail, sizeof detail, "needs root: cannot read %s", path);
    report(host, HI_STATUS_WARN, detail, "Run hermes-inspect as root", HI_RESULT_NEEDS_ROOT);
  } else {
    snprintf(detail, sizeof detail, "cannot read %s: %.300s", path, host->last_error(host->ctx));
    report(host, HI_STATUS_WARN, detail, NULL, 0);
  }
}

/* Copies the first line of TEXT, without surrounding blanks, into NAME.
 * Returns 0 when that line is empty or does not fit. */
static int first_line(const char *text, char *name, size_t size) {
  const char *start = text + strspn(text, " \t");
  size_t len = strcspn(start, "\r\n");
  while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t')) --len;
  if (len == 0 || len >= size) return 0;
  memcpy(name, start, len);
  name[len] = '\0';
  return 1;
}

static int probe(const hi_host *host) {
  char name[256];
  char detail[512];
  hi_file file;

  int rc = read_small_file(host, HOSTNAME_PATH, &file);
  if (rc != HI_OK) {
    report_unreadable(host, HOSTNAME_PATH, rc);
    return 0;
  }
  if (!first_line(file.data, name, sizeof name)) {
    report(host, HI_STATUS_SKIP, "no host name in /etc/hostname", NULL, 0);
    return 0;
  }
  snprintf(detail, sizeof detail, "host name from %s: %s", HOSTNAME_PATH, name);
  host->log(host->ctx, HI_LOG_DEBUG, detail);

  rc = read_small_file(host, MOTD_PATH, &file);
  if (rc == HI_ERR_NOT_FOUND) {
    report(host, HI_STATUS_PASS, "no /etc/motd", NULL, 0);
    return 0;
  }
  if (rc != HI_OK) {
    report_unreadable(host, MOTD_PATH, rc);
    return 0;
  }
  if (strstr(file.data, name) != NULL) {
    snprintf(detail, sizeof detail, "/etc/motd names the host \"%s\"", name);
    report(host, HI_STATUS_FAIL, detail, FIX, 0);
  } else {
    snprintf(detail, sizeof detail, "/etc/motd does not name the host \"%s\"", name);
    report(host, HI_STATUS_PASS, detail, NULL, 0);
  }
  return 0;
}

static const hi_plugin_desc descriptor = {
    sizeof(hi_plugin_desc),
    HI_ABI_MAJOR,
    HI_ABI_MINOR,
    "example-motd", /* == the file name without ".so" */
    "0.1.0",
    "Example: the message of the day does not name the host",
    sizeof signals / sizeof signals[0],
    signals,
    probe};

/* The one exported symbol. */
HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &descriptor; }
