// The effective sshd configuration as OpenSSH 9.x computes it (servconf.c):
// loading sshd_config with its Includes, and evaluating it for a connection
// the way `sshd -T [-C ...]` does. Only the four keywords the SSH signals
// decide on are interpreted; of the others, sshd's refusals of an unknown
// keyword and of a global-only keyword in a Match block are reproduced, their
// values are not checked.
#pragma once

#include "sshd_match.hpp"

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hermes_inspect::sshd {

inline constexpr const char *kMainConfig = "/etc/ssh/sshd_config";
inline constexpr const char *kSshDir = "/etc/ssh";

// Bounds on the work a hostile or broken tree can cause.
inline constexpr std::size_t kMaxFileBytes = 1 << 20;
inline constexpr int kMaxIncludeDepth = 16;              // sshd's SERVCONF_MAX_DEPTH
inline constexpr std::size_t kMaxIncludedFiles = 512;    // file inclusions, repeats counted
inline constexpr std::size_t kMaxIncludePatterns = 512;  // distinct Include globs expanded
inline constexpr std::size_t kMaxDirectives = 200000;    // lines walked over all inclusions

// How the parser reaches files: the plugin backs it with the host services,
// tests with a directory tree. Paths are as sshd sees them (absolute, under
// the inspected root).
class ConfigSource {
 public:
  enum class Outcome { ok, not_found, permission, too_large, error };
  struct File {
    Outcome outcome = Outcome::error;
    std::string text;     // when ok
    std::string message;  // why not, when not ok
  };
  struct Glob {
    std::vector<std::string> paths;     // in lexical order, as glob(3) sorts
    std::set<std::string> directories;  // those of paths that are directories
    // A path this user may not look up, or a directory it may not list
    // (denied_listing): sshd, as root, might find more there.
    std::string denied;
    bool denied_listing = false;
  };

  virtual ~ConfigSource() = default;
  virtual File read(const std::string &path) const = 0;
  virtual Glob glob(const std::string &pattern) const = 0;
};

// The keywords the SSH signals decide on.
enum class Key { password_authentication, kbd_interactive_authentication, permit_root_login, use_pam };
inline constexpr std::size_t kKeyCount = 4;

const char *keyword_name(Key k);      // as sshd_config(5) spells it
const char *default_value(Key k);     // OpenSSH's value when unset
bool allowed_in_match(Key k);

// The keywords sshd accepts that the signals do not read, each with whether
// a Match block may hold it.
std::vector<std::pair<std::string, bool>> other_keywords();

struct Location {
  std::string file;
  int line = 0;
};
std::string to_string(const Location &l);

// A Match line: where it is and what it says ("Match User deploy").
struct Block {
  Location where;
  std::string text;
};

// One obtained value of a keyword.
struct Setting {
  std::string value;    // canonical: yes/no, or a PermitRootLogin word (prohibit-password for its alias)
  std::string written;  // the keyword and value as the file spells them, e.g. "passwordauthentication No"
  Location where;
  std::optional<Block> block;  // the Match block it was set in, if any
};

// Why the configuration could not be evaluated.
struct Problem {
  enum class Kind {
    missing,     // the main file does not exist
    permission,  // a file or directory could not be read by this user
    invalid,     // sshd would refuse this configuration
    limit,       // the tree exceeds the parser's bounds
    unreadable   // another read error
  };
  Kind kind = Kind::invalid;
  std::string message;
};

enum class DirectiveKind { other, include, match, setting };

struct Directive {
  int line = 0;
  DirectiveKind kind = DirectiveKind::other;
  Key key = Key::password_authentication;  // for settings
  std::string value;                       // canonical, for settings
  std::string written;                     // settings: "Keyword value"; Match: the line; others: the keyword
  bool global_only = false;                // another keyword a Match block may not hold
  std::vector<std::string> patterns;       // for Include: absolute glob patterns
  MatchCondition condition;                // for Match
};

struct ConfigFile {
  std::string path;
  std::vector<Directive> directives;
  std::optional<Problem> error;  // the first line sshd would reject, after `directives`
};

// A loaded configuration tree: every file read, and what each Include pattern
// matched. Walking it from files[0] visits lines in sshd's order.
struct Config {
  std::vector<ConfigFile> files;
  std::map<std::string, std::vector<std::size_t>> globs;  // pattern -> indexes into files
};

struct Loaded {
  Config config;
  std::optional<Problem> problem;
};

Loaded load_config(const ConfigSource &source, const std::string &main_path = kMainConfig);

// The values obtained for the keywords; an absent one is OpenSSH's default.
struct Effective {
  std::array<std::optional<Setting>, kKeyCount> settings;

  const std::optional<Setting> &get(Key k) const { return settings[static_cast<std::size_t>(k)]; }
  std::string value(Key k) const;  // the obtained value or the default
};

struct Evaluation {
  Effective effective;
  std::optional<Problem> problem;
};

// The configuration in force for conn, as `sshd -T -C` prints it; an empty
// Connection is plain `sshd -T`, what applies to every connection.
Evaluation evaluate(const Config &config, const Connection &conn);

// A keyword set inside a block that some, but not all, connections satisfy;
// a block no connection satisfies (`Match User !root`) sets nothing.
struct ConditionalSetting {
  Key key = Key::password_authentication;
  Setting setting;  // setting.block is the innermost conditional Match line
  // Never in force: every connection satisfying its block obtained a value
  // first, from the same block, a `Match all`, or a block whose conditions it
  // repeats (an enclosing one, for a Match in an included file).
  bool shadowed = false;
};

std::vector<ConditionalSetting> conditional_settings(const Config &config);

// Everything the SSH signals need, from one source.
struct Analysis {
  std::optional<Problem> problem;
  Effective effective;
  std::vector<ConditionalSetting> conditional;
};

Analysis analyze(const ConfigSource &source, const std::string &main_path = kMainConfig);

}  // namespace hermes_inspect::sshd
