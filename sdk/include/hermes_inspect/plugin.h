/* hermes-inspect plugin ABI, version 1.0: the only header a probe needs.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * HI_ENTRY_SYMBOL ("hermes_inspect_plugin_v1"), a function returning a pointer to
 * a static hi_plugin_desc. The core loads it in a worker process of its own,
 * reads the descriptor, and calls probe() once with a host-services table. It
 * never unloads a plugin it opened: the worker's exit does. The symbol's name
 * carries the ABI major; an entry of another major (hermes_inspect_plugin_v2,
 * ...) marks a plugin this core refuses as incompatible.
 *
 * Ownership, stated once and relied on everywhere below:
 *  - Everything a plugin hands the core (descriptors, strings, arrays) is the
 *    plugin's, must stay valid and unchanged for the life of the process, and is
 *    never freed by the core. In practice: static storage.
 *  - Everything the core hands the plugin (the host table, command results, file
 *    contents, setting strings) is the core's, is valid until probe() returns,
 *    and must never be freed or written by the plugin.
 *  - Strings a plugin passes to a host service (argv, paths, report fields, log
 *    lines) are copied by the core during the call; the plugin may reuse them
 *    as soon as the call returns.
 *  - All strings are NUL-terminated UTF-8. Invalid UTF-8 and control characters
 *    in reported text are replaced by the core.
 *
 * Versioning: every struct starts with uint32_t struct_size. Fields are only ever
 * appended, never inserted, reordered or retyped. A reader copies
 * min(struct_size, sizeof) bytes into a zeroed struct, so fields an older writer
 * lacks read as zero/NULL. 1.0 is the first minor: a struct_size that does not
 * reach the last field ABI 1.0 defines is refused, and an optional field is
 * omitted by setting it to NULL, not by cutting the struct short. A plugin built
 * for a newer minor is accepted only when every field this core does not know
 * is zero; a different major is refused.
 */
#ifndef HERMES_INSPECT_PLUGIN_H
#define HERMES_INSPECT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HI_ABI_MAJOR 1
#define HI_ABI_MINOR 0

#define HI_ENTRY_SYMBOL "hermes_inspect_plugin_v1"

#if defined(__GNUC__) || defined(__clang__)
#define HI_EXPORT __attribute__((visibility("default")))
#else
#define HI_EXPORT
#endif

/* Signal status, as reported and as shown in every output format. */
typedef enum hi_status {
  HI_STATUS_PASS = 0,
  HI_STATUS_FAIL = 1,
  HI_STATUS_WARN = 2,
  HI_STATUS_SKIP = 3
} hi_status;

/* hi_result.flags */
#define HI_RESULT_NEEDS_ROOT 0x1u

/* Log levels for hi_host.log; shown on stderr with --verbose. */
typedef enum hi_log_level {
  HI_LOG_DEBUG = 0,
  HI_LOG_INFO = 1,
  HI_LOG_WARNING = 2,
  HI_LOG_ERROR = 3
} hi_log_level;

/* Return codes of host services. */
typedef enum hi_rc {
  HI_OK = 0,
  HI_ERR_INVALID = -1,     /* a NULL or malformed argument */
  HI_ERR_NOT_FOUND = -2,   /* tool not on the tool path, file or setting absent */
  HI_ERR_PERMISSION = -3,  /* the running user may not read it */
  HI_ERR_TOO_LARGE = -4,   /* a file over max_bytes (contents are not returned) */
  HI_ERR_SYMLINK = -5,     /* HI_READ_NOFOLLOW and the final component is a symlink */
  HI_ERR_IO = -6,          /* anything else; hi_host.last_error says what */
  HI_ERR_UNDECLARED = -7   /* report() for a signal id the descriptor does not declare */
} hi_rc;

/* ---- What the plugin declares ------------------------------------------ */

typedef struct hi_signal_desc {
  uint32_t struct_size;      /* sizeof(hi_signal_desc) as the plugin was built */
  const char *id;            /* [a-z0-9][a-z0-9._-]{0,63}, unique across plugins */
  const char *title;         /* one line, e.g. "UFW firewall active, default deny" */
  const char *description;   /* what it checks */
  const char *rationale;     /* why it matters; may be NULL */
  const char *fix_hint;      /* default fix; may be NULL */
  const char *commands;      /* exact commands the probe runs, one per line; may be NULL */
} hi_signal_desc;

struct hi_host;

typedef struct hi_plugin_desc {
  uint32_t struct_size;      /* sizeof(hi_plugin_desc) as the plugin was built */
  uint16_t abi_major;        /* HI_ABI_MAJOR the plugin was built against */
  uint16_t abi_minor;        /* HI_ABI_MINOR the plugin was built against */
  const char *name;          /* equals the file name without ".so" */
  const char *version;       /* the plugin's own version, free-form */
  const char *description;   /* one line */
  uint32_t signal_count;     /* at most 256 */
  const hi_signal_desc *const *signals; /* signal_count pointers */
  /* Runs the probe: reports every declared signal through host->report, returns 0.
   * A non-zero return is recorded as a plugin error. Must not throw or longjmp out. */
  int (*probe)(const struct hi_host *host);
} hi_plugin_desc;

/* The one exported symbol. Called once per process; must not fail. */
typedef const hi_plugin_desc *(*hi_entry_fn)(void);
HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void);

/* ---- What the core provides ------------------------------------------- */

/* A command to run: no shell; argv[0] is looked up on the tool path
 * (--tool-path, default $PATH then /usr/local/sbin:/usr/sbin:/sbin) unless it
 * contains '/'. The command gets stdin /dev/null, an environment of PATH, HOME,
 * LANG=C and LC_ALL=C only, and its own process group; on timeout the whole group
 * is killed. Whatever timeout_ms says, the whole probe has a deadline of the
 * user's --timeout plus 2 s from its start: past it the core kills the worker
 * and the plugin's signals are reported as timed out, so a probe that runs
 * several commands should keep their sum within --timeout. */
typedef struct hi_command {
  uint32_t struct_size;
  const char *const *argv;   /* NULL-terminated; the plugin's */
  uint32_t timeout_ms;       /* 0: the user's --timeout */
  uint32_t max_output_bytes; /* per stream; 0: 1 MiB. Longer output is truncated. */
} hi_command;

typedef struct hi_command_result {
  uint32_t struct_size;
  int32_t exit_code;         /* valid when term_signal == 0 and !timed_out */
  int32_t term_signal;       /* signal that ended the command, or 0 */
  uint8_t timed_out;         /* 1: killed after timeout_ms */
  uint8_t not_found;         /* 1: argv[0] not on the tool path; nothing ran */
  uint8_t stdout_truncated;
  uint8_t stderr_truncated;
  const char *stdout_data;   /* core's; NUL-terminated (embedded NULs possible) */
  size_t stdout_len;
  const char *stderr_data;   /* core's; NUL-terminated */
  size_t stderr_len;
  uint32_t elapsed_ms;
} hi_command_result;

/* hi_host.read_file flags */
#define HI_READ_NOFOLLOW 0x1u  /* refuse a symlink as the final path component */
#define HI_READ_HOST_PATH 0x2u /* path is on the running host, not under --root:
                                  live state such as /proc and the Hermes home */

typedef struct hi_file {
  uint32_t struct_size;
  const char *data;          /* core's; NUL-terminated */
  size_t len;
} hi_file;

/* A report of one signal's verdict. */
typedef struct hi_result {
  uint32_t struct_size;
  const char *signal_id;     /* a declared id */
  int32_t status;            /* hi_status */
  const char *detail;        /* what was seen, one line; NULL means "" */
  const char *fix;           /* the fix; NULL or "" means none */
  uint32_t flags;            /* HI_RESULT_* */
} hi_result;

/* Host services may be called only from the thread that runs probe(), and only
 * while it runs. A plugin checks struct_size before using a field added after 1.0. */
typedef struct hi_host {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void *ctx;                 /* core's; pass it back as the first argument */

  /* Runs a command and waits for it; fills *out (core's memory). Returns HI_OK
   * when the command ran or could not be found (see out->not_found), another
   * hi_rc when it could not be started. Returns once the command exits even if a
   * process it started keeps the pipes open (after a grace of at most 200 ms). */
  int (*run)(void *ctx, const hi_command *cmd, hi_command_result *out);

  /* Reads a file under the inspected root (--root): "/etc/ssh/sshd_config"
   * means ROOT/etc/ssh/sshd_config; symlinks resolve inside ROOT. Files over
   * max_bytes (0: 1 MiB) give HI_ERR_TOO_LARGE. */
  int (*read_file)(void *ctx, const char *path, uint32_t flags, size_t max_bytes,
                   hi_file *out);

  /* The host path of a path under the root, for directory listing and glob(3).
   * Returns a core-owned string, or NULL for a relative or malformed path. */
  const char *(*resolve_path)(void *ctx, const char *path);

  /* A setting: "root" (--root, default "/"), "hermes_home" (--hermes-home, else
   * $HERMES_HOME, else ~/.hermes; a host path, not under the root), "timeout_ms"
   * (--timeout in milliseconds), "tool_path" (colon-separated directories),
   * "verbose" ("0"/"1"). Returns a core-owned string, or NULL for an unknown key. */
  const char *(*setting)(void *ctx, const char *key);

  /* An environment variable of the inspector's process, or NULL. */
  const char *(*getenv)(void *ctx, const char *name);

  /* A diagnostic line, shown with --verbose. */
  void (*log)(void *ctx, int32_t level, const char *message);

  /* Records a verdict. A signal reported twice keeps its first report; an
   * undeclared id returns HI_ERR_UNDECLARED and is recorded as a plugin error. */
  int (*report)(void *ctx, const hi_result *result);

  /* Why the last failed call failed, or "". Core's string. */
  const char *(*last_error)(void *ctx);
} hi_host;

#ifdef __cplusplus
}
#endif

#endif /* HERMES_INSPECT_PLUGIN_H */
