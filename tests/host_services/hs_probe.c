/* Calls every host service and reports what it returned, one signal each. */
#include "hs_plugin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

HS_SIGNAL(sig_root, "hs-setting-root");
HS_SIGNAL(sig_timeout, "hs-setting-timeout-ms");
HS_SIGNAL(sig_tool_path, "hs-setting-tool-path");
HS_SIGNAL(sig_verbose, "hs-setting-verbose");
HS_SIGNAL(sig_home, "hs-setting-hermes-home");
HS_SIGNAL(sig_unknown, "hs-setting-unknown");
HS_SIGNAL(sig_getenv, "hs-getenv");
HS_SIGNAL(sig_env, "hs-command-env");
HS_SIGNAL(sig_stdin, "hs-command-stdin");
HS_SIGNAL(sig_last_error, "hs-last-error");
HS_SIGNAL(sig_resolve, "hs-resolve-path");
HS_SIGNAL(sig_sanitise, "hs-sanitise");
HS_SIGNAL(sig_tail_command, "hs-tail-command");
HS_SIGNAL(sig_tail_command_result, "hs-tail-command-result");
HS_SIGNAL(sig_tail_file, "hs-tail-file");
HS_SIGNAL(sig_tail_result, "hs-tail-result");
HS_SIGNAL(sig_short_out, "hs-short-out");
static const hi_signal_desc *const signals[] = {
    &sig_root,         &sig_timeout,      &sig_tool_path,           &sig_verbose,   &sig_home,
    &sig_unknown,      &sig_getenv,       &sig_env,                 &sig_stdin,     &sig_last_error,
    &sig_resolve,      &sig_sanitise,     &sig_tail_command,        &sig_tail_command_result,
    &sig_tail_file,    &sig_tail_result,  &sig_short_out};

/* C1 controls (NEL, CSI), ESC, DEL, line and paragraph separators, a bidi
 * override and isolate, and a byte that is not UTF-8. */
#define HS_HOSTILE                                                                          \
  "a\xc2\x85" "b\xc2\x9b" "31mc\xe2\x80\xa8" "d\xe2\x80\xa9" "e\xe2\x80\xae" "f\xe2\x81\xa6" \
  "g\x1b[0mh\xffi\x7fj"

static const char *or_null(const char *s) { return s ? s : "(null)"; }

static void pass(const hi_host *host, const char *id, const char *detail) {
  hs_report(host, id, HI_STATUS_PASS, detail, NULL);
}

static void report_settings(const hi_host *host) {
  static const char *const keys[][2] = {{"root", "hs-setting-root"},
                                        {"timeout_ms", "hs-setting-timeout-ms"},
                                        {"tool_path", "hs-setting-tool-path"},
                                        {"verbose", "hs-setting-verbose"},
                                        {"hermes_home", "hs-setting-hermes-home"},
                                        {"no_such_setting", "hs-setting-unknown"}};
  size_t i;
  for (i = 0; i < sizeof keys / sizeof keys[0]; ++i)
    pass(host, keys[i][1], or_null(host->setting(host->ctx, keys[i][0])));
}

static void report_getenv(const hi_host *host) {
  char detail[512];
  snprintf(detail, sizeof detail, "marker=%s unset=%s", or_null(host->getenv(host->ctx, "HI_HS_MARKER")),
           or_null(host->getenv(host->ctx, "HI_HS_SURELY_UNSET")));
  pass(host, "hs-getenv", detail);
}

/* Runs argv[0] found on the tool path; reports its stdout with the final
 * newline dropped (the core turns the others into spaces). */
static void report_command(const hi_host *host, const char *id, const char *const *argv) {
  hi_command cmd = {sizeof(hi_command), argv, 0, 0};
  hi_command_result res;
  char detail[1024];
  memset(&res, 0, sizeof res);
  res.struct_size = sizeof res;
  if (host->run(host->ctx, &cmd, &res) != HI_OK) {
    snprintf(detail, sizeof detail, "run failed: %s", host->last_error(host->ctx));
  } else if (res.not_found) {
    snprintf(detail, sizeof detail, "%s not found", argv[0]);
  } else {
    size_t len = res.stdout_len;
    if (len > 0 && res.stdout_data[len - 1] == '\n') --len;
    snprintf(detail, sizeof detail, "%.*s", (int)len, res.stdout_data);
  }
  pass(host, id, detail);
}

/* Three failures in a row, each message read only after the later ones:
 * every pointer last_error handed out must still hold its own message. */
static void report_last_error(const hi_host *host) {
  hi_file file;
  hi_command cmd = {sizeof(hi_command), NULL, 0, 0};
  hi_command_result res;
  const char *first;
  const char *second;
  const char *third;
  char detail[2048];
  int i;
  memset(&file, 0, sizeof file);
  file.struct_size = sizeof file;
  memset(&res, 0, sizeof res);
  res.struct_size = sizeof res;
  host->read_file(host->ctx, "/hs-missing-first", 0, 0, &file);
  first = host->last_error(host->ctx);
  host->read_file(host->ctx, "/hs-missing-second", 0, 0, &file);
  second = host->last_error(host->ctx);
  host->run(host->ctx, &cmd, &res);
  third = host->last_error(host->ctx);
  /* Churn the allocator so freed messages would be overwritten. */
  for (i = 0; i < 64; ++i) {
    char *p = malloc(64 + (size_t)i);
    if (p) memset(p, 'X', 64 + (size_t)i);
    free(p);
  }
  snprintf(detail, sizeof detail, "%s | %s | %s", first, second, third);
  pass(host, "hs-last-error", detail);
}

static void report_resolve(const hi_host *host) {
  static const char *const paths[] = {"/../../etc/shadow", "/..",  "//etc//ssh//", "/./etc/./ssh/.",
                                      "/etc/ssh/",         "/etc/ssh/../../..", "/", "relative/path",
                                      ""};
  char detail[2048] = "";
  size_t i;
  for (i = 0; i < sizeof paths / sizeof paths[0]; ++i) {
    const size_t used = strlen(detail);
    snprintf(detail + used, sizeof detail - used, "%s%s", i ? " | " : "",
             or_null(host->resolve_path(host->ctx, paths[i])));
  }
  pass(host, "hs-resolve-path", detail);
}

static void report_sanitise(const hi_host *host) {
  host->log(host->ctx, HI_LOG_INFO, "hs_probe log line");
  host->log(host->ctx, HI_LOG_WARNING, "log " HS_HOSTILE);
  hs_report(host, "hs-sanitise", HI_STATUS_PASS, HS_HOSTILE, "fix " HS_HOSTILE);
}

/* "rc=N" and, on failure, what last_error said, appended to detail. */
static void append_outcome(const hi_host *host, char *detail, size_t size, const char *what, int rc) {
  const size_t used = strlen(detail);
  snprintf(detail + used, size - used, "%s%s rc=%d%s%s", used ? " | " : "", what, rc, rc ? ": " : "",
           rc ? host->last_error(host->ctx) : "");
}

static int untouched(const void *p, size_t from, size_t to) {
  const unsigned char *bytes = p;
  size_t i;
  for (i = from; i < to; ++i)
    if (bytes[i] != 0xAB) return 0;
  return 1;
}

/* A struct of a newer minor: the 1.0 struct followed by one field the core does not know. */
struct command_next { hi_command base; uint64_t added; };
struct command_result_next { hi_command_result base; uint64_t added; };
struct file_next { hi_file base; uint64_t added; };
struct result_next { hi_result base; uint64_t added; };

static void report_tail_command(const hi_host *host) {
  static const char *const argv[] = {"env", NULL};
  struct command_next cmd;
  hi_command_result res;
  char detail[1024] = "";
  memset(&cmd, 0, sizeof cmd);
  cmd.base.struct_size = sizeof cmd;
  cmd.base.argv = argv;
  memset(&res, 0, sizeof res);
  res.struct_size = sizeof res;
  cmd.added = 1;
  append_outcome(host, detail, sizeof detail, "set", host->run(host->ctx, &cmd.base, &res));
  cmd.added = 0;
  append_outcome(host, detail, sizeof detail, "zero", host->run(host->ctx, &cmd.base, &res));
  pass(host, "hs-tail-command", detail);
}

static void report_tail_command_result(const hi_host *host) {
  static const char *const argv[] = {"env", NULL};
  hi_command cmd = {sizeof(hi_command), argv, 0, 0};
  struct command_result_next res;
  char detail[1024] = "";
  int rc;
  memset(&res, 0xAB, sizeof res);
  res.base.struct_size = sizeof res;
  res.added = 1;
  rc = host->run(host->ctx, &cmd, &res.base);
  append_outcome(host, detail, sizeof detail, "set", rc);
  strcat(detail, untouched(&res, sizeof res.base.struct_size, sizeof res.base) ? " untouched" : " written");
  memset(&res, 0, sizeof res);
  res.base.struct_size = sizeof res;
  rc = host->run(host->ctx, &cmd, &res.base);
  append_outcome(host, detail, sizeof detail, "zero", rc);
  if (rc == HI_OK) {
    const size_t used = strlen(detail);
    snprintf(detail + used, sizeof detail - used, " filled %u of %u", (unsigned)res.base.struct_size,
             (unsigned)sizeof res);
  }
  pass(host, "hs-tail-command-result", detail);
}

static void report_tail_file(const hi_host *host) {
  struct file_next file;
  char detail[1024] = "";
  int rc;
  memset(&file, 0xAB, sizeof file);
  file.base.struct_size = sizeof file;
  file.added = 1;
  rc = host->read_file(host->ctx, "/hs-present", 0, 0, &file.base);
  append_outcome(host, detail, sizeof detail, "set", rc);
  strcat(detail, untouched(&file, sizeof file.base.struct_size, sizeof file.base) ? " untouched" : " written");
  memset(&file, 0, sizeof file);
  file.base.struct_size = sizeof file;
  rc = host->read_file(host->ctx, "/hs-present", 0, 0, &file.base);
  append_outcome(host, detail, sizeof detail, "zero", rc);
  if (rc == HI_OK) {
    const size_t used = strlen(detail);
    snprintf(detail + used, sizeof detail - used, " read %.*s", (int)file.base.len, file.base.data);
  }
  pass(host, "hs-tail-file", detail);
}

/* The refused report must not count: the plain one after it is the one kept. */
static void report_tail_result(const hi_host *host) {
  struct result_next r;
  char detail[1024] = "";
  memset(&r, 0, sizeof r);
  r.base.struct_size = sizeof r;
  r.base.signal_id = "hs-tail-result";
  r.base.status = HI_STATUS_FAIL;
  r.base.detail = "a report with a non-zero unknown tail";
  r.added = 1;
  append_outcome(host, detail, sizeof detail, "set", host->report(host->ctx, &r.base));
  pass(host, "hs-tail-result", detail);
}

/* Output structs too short for the 1.0 fields: refused, and not written. */
static void report_short_out(const hi_host *host) {
  static const char *const argv[] = {"env", NULL};
  hi_command cmd = {sizeof(hi_command), argv, 0, 0};
  hi_command_result res;
  hi_file file;
  char detail[2048] = "";
  int rc;
  memset(&res, 0xAB, sizeof res);
  res.struct_size = 0;
  rc = host->run(host->ctx, &cmd, &res);
  append_outcome(host, detail, sizeof detail, "run 0", rc);
  strcat(detail, untouched(&res, sizeof res.struct_size, sizeof res) ? " untouched" : " written");
  memset(&res, 0xAB, sizeof res);
  res.struct_size = (uint32_t)offsetof(hi_command_result, stdout_data);
  rc = host->run(host->ctx, &cmd, &res);
  append_outcome(host, detail, sizeof detail, "run short", rc);
  strcat(detail, untouched(&res, sizeof res.struct_size, sizeof res) ? " untouched" : " written");
  memset(&file, 0xAB, sizeof file);
  file.struct_size = 0;
  rc = host->read_file(host->ctx, "/hs-present", 0, 0, &file);
  append_outcome(host, detail, sizeof detail, "read_file 0", rc);
  strcat(detail, untouched(&file, sizeof file.struct_size, sizeof file) ? " untouched" : " written");
  cmd.struct_size = 0;
  memset(&res, 0, sizeof res);
  res.struct_size = sizeof res;
  append_outcome(host, detail, sizeof detail, "command 0", host->run(host->ctx, &cmd, &res));
  pass(host, "hs-short-out", detail);
}

static int probe(const hi_host *host) {
  static const char *const env_argv[] = {"env", NULL};
  static const char *const stdin_argv[] = {"readlink", "/proc/self/fd/0", NULL};
  report_settings(host);
  report_getenv(host);
  report_command(host, "hs-command-env", env_argv);
  report_command(host, "hs-command-stdin", stdin_argv);
  report_last_error(host);
  report_resolve(host);
  report_sanitise(host);
  report_tail_command(host);
  report_tail_command_result(host);
  report_tail_file(host);
  report_tail_result(host);
  report_short_out(host);
  return 0;
}

HS_PLUGIN("hs_probe", signals)
