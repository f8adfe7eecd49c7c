#include "sshd_config.hpp"

#include "sshd_lexer.hpp"

#include <algorithm>
#include <set>
#include <utility>
#include <variant>

namespace hermes_inspect::sshd {

namespace {

struct KeywordInfo {
  const char *name;  // lower-case
  DirectiveKind kind;
  Key key;
};

// The keywords the SSH signals read. The aliases of
// KbdInteractiveAuthentication set the same option.
constexpr KeywordInfo kKeywords[] = {
    {"passwordauthentication", DirectiveKind::setting, Key::password_authentication},
    {"kbdinteractiveauthentication", DirectiveKind::setting, Key::kbd_interactive_authentication},
    {"challengeresponseauthentication", DirectiveKind::setting, Key::kbd_interactive_authentication},
    {"skeyauthentication", DirectiveKind::setting, Key::kbd_interactive_authentication},
    {"permitrootlogin", DirectiveKind::setting, Key::permit_root_login},
    {"usepam", DirectiveKind::setting, Key::use_pam},
    {"include", DirectiveKind::include, Key::password_authentication},
    {"match", DirectiveKind::match, Key::password_authentication},
};

// Every other keyword Debian 12's sshd (OpenSSH 9.2p1 with Debian's patches)
// accepts, deprecated and unsupported ones included, split by whether a
// Match block may hold it (servconf.c's SSHCFG_MATCH). Each was checked with
// `sshd -T`; any other keyword makes sshd refuse the configuration.
constexpr const char *kAnywhere[] = {
    "acceptenv", "allowagentforwarding", "allowgroups", "allowstreamlocalforwarding",
    "allowtcpforwarding", "allowusers", "authenticationmethods", "authorizedkeyscommand",
    "authorizedkeyscommanduser", "authorizedkeysfile", "authorizedkeysfile2",
    "authorizedprincipalscommand", "authorizedprincipalscommanduser", "authorizedprincipalsfile",
    "banner", "casignaturealgorithms", "channeltimeout", "chrootdirectory", "clientalivecountmax",
    "clientaliveinterval", "denygroups", "denyusers", "disableforwarding", "exposeauthinfo",
    "forcecommand", "gatewayports", "gssapiauthentication", "hostbasedacceptedalgorithms",
    "hostbasedacceptedkeytypes", "hostbasedauthentication", "hostbasedusesnamefrompacketonly",
    "ignorerhosts", "ipqos", "kerberosauthentication", "loglevel", "logverbose", "maxauthtries",
    "maxsessions", "permitemptypasswords", "permitlisten", "permitopen", "permittty",
    "permittunnel", "permituserrc", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes",
    "pubkeyauthentication", "pubkeyauthoptions", "rdomain", "rekeylimit", "requiredrsasize",
    "revokedkeys", "rhostsrsaauthentication", "rsaauthentication", "setenv", "streamlocalbindmask",
    "streamlocalbindunlink", "trustedusercakeys", "unusedconnectiontimeout", "x11displayoffset",
    "x11forwarding", "x11uselocalhost",
};
constexpr const char *kGlobalOnly[] = {
    "addressfamily", "afstokenpassing", "checkmail", "ciphers", "compression", "debianbanner",
    "dsaauthentication", "fingerprinthash", "gssapicleanupcredentials", "gssapicleanupcreds",
    "gssapikexalgorithms", "gssapikeyexchange", "gssapistorecredentialsonrekey",
    "gssapistrictacceptorcheck", "gssapiusesessioncredcache", "gssusesessionccache",
    "hostcertificate", "hostdsakey", "hostkey", "hostkeyagent", "hostkeyalgorithms",
    "ignoreuserknownhosts", "keepalive", "kerberosgetafstoken", "kerberosorlocalpasswd",
    "kerberostgtpassing", "kerberosticketcleanup", "kexalgorithms", "keyregenerationinterval",
    "listenaddress", "logingracetime", "macs", "maxstartups", "modulifile",
    "pamauthenticationviakbdint", "permitblacklistedkeys", "permituserenvironment",
    "persourcemaxstartups", "persourcenetblocksize", "pidfile", "port", "printlastlog",
    "printmotd", "protocol", "reversemappingcheck", "rhostsauthentication", "securitykeyprovider",
    "serverkeybits", "strictmodes", "subsystem", "syslogfacility", "tcpkeepalive", "usedns",
    "uselogin", "useprivilegeseparation", "verifyreversemapping", "versionaddendum",
    "xauthlocation",
};

template <std::size_t N>
bool listed(const char *const (&names)[N], const std::string &keyword) {
  for (const char *name : names)
    if (equals_ignore_case(keyword, name)) return true;
  return false;
}

struct Choice {
  const char *word;
  const char *canonical;
};

constexpr Choice kFlag[] = {{"yes", "yes"}, {"no", "no"}};
constexpr Choice kRootLogin[] = {{"without-password", "prohibit-password"},
                                 {"prohibit-password", "prohibit-password"},
                                 {"forced-commands-only", "forced-commands-only"},
                                 {"yes", "yes"},
                                 {"no", "no"}};

constexpr unsigned kMatchOnly = 1;   // sshd's SSHCFG_MATCH_ONLY
constexpr unsigned kNeverMatch = 2;  // sshd's SSHCFG_NEVERMATCH

const KeywordInfo *find_keyword(const std::string &keyword) {
  for (const auto &k : kKeywords)
    if (equals_ignore_case(keyword, k.name)) return &k;
  return nullptr;
}

std::optional<std::string> canonical_value(Key key, const std::string &word) {
  if (key == Key::permit_root_login) {
    for (const auto &c : kRootLogin)
      if (equals_ignore_case(word, c.word)) return std::string(c.canonical);
    return std::nullopt;
  }
  for (const auto &c : kFlag)
    if (equals_ignore_case(word, c.word)) return std::string(c.canonical);
  return std::nullopt;
}

// The text of a Match line without a trailing comment, for naming the block.
std::string match_text(const std::string &keyword, const std::string &rest) {
  std::string text = rest.substr(0, rest.find(" #"));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return keyword + " " + text;
}

using LineResult = std::variant<std::monostate, Directive, std::string>;

LineResult parse_setting(const std::string &keyword, const std::vector<std::string> &args,
                         Directive d) {
  if (args.empty() || args[0].empty()) return keyword + " missing argument.";
  const auto value = canonical_value(d.key, args[0]);
  if (!value) return "unsupported option \"" + args[0] + "\".";
  if (args.size() > 1) return "keyword " + keyword + " extra arguments at end of line";
  d.value = *value;
  d.written = keyword + " " + args[0];
  return d;
}

LineResult parse_include(const std::string &keyword, const std::vector<std::string> &args,
                         Directive d) {
  if (args.empty()) return keyword + " missing filename argument";
  for (const auto &arg : args) {
    if (arg.empty()) return "keyword " + keyword + " empty argument";
    const bool absolute = arg[0] == '/' || arg[0] == '~';
    d.patterns.push_back(absolute ? arg : std::string(kSshDir) + "/" + arg);
  }
  d.written = keyword;
  return d;
}

LineResult parse_match_line(const std::string &keyword, const std::string &rest, Directive d) {
  auto parsed = parse_match(rest);
  if (auto *why = std::get_if<std::string>(&parsed)) return "Bad Match condition: " + *why;
  d.condition = std::get<MatchCondition>(std::move(parsed));
  d.written = match_text(keyword, rest);
  return d;
}

// A keyword the signals do not read: only whether sshd knows it, and whether
// a Match block may hold it, matter.
LineResult other_keyword(const std::string &keyword, Directive d) {
  d.written = keyword;
  if (listed(kAnywhere, keyword)) return d;
  if (!listed(kGlobalOnly, keyword)) return "Bad configuration option: " + keyword;
  d.global_only = true;
  return d;
}

// One line, as process_server_config_line_depth reads it.
LineResult parse_line(const std::string &raw, int number) {
  Delimiter words(strip_trailing(raw));
  auto keyword = words.next();
  if (keyword && keyword->empty()) keyword = words.next();
  if (!keyword || keyword->empty() || (*keyword)[0] == '#') return std::monostate{};
  const auto rest = words.rest();
  if (!rest || rest->empty()) return "no argument after keyword \"" + *keyword + "\"";
  const auto args = split_arguments(*rest);
  if (!args) return std::string("invalid quotes");
  Directive d;
  d.line = number;
  const KeywordInfo *info = find_keyword(*keyword);
  if (!info) return other_keyword(*keyword, std::move(d));
  d.kind = info->kind;
  d.key = info->key;
  switch (info->kind) {
    case DirectiveKind::setting: return parse_setting(*keyword, *args, std::move(d));
    case DirectiveKind::include: return parse_include(*keyword, *args, std::move(d));
    case DirectiveKind::match: return parse_match_line(*keyword, *rest, std::move(d));
    case DirectiveKind::other: break;
  }
  return std::monostate{};
}

ConfigFile parse_file(const std::string &path, const std::string &text) {
  ConfigFile file{path, {}, std::nullopt};
  const auto lines = config_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int number = static_cast<int>(i + 1);
    LineResult r = parse_line(lines[i], number);
    if (auto *why = std::get_if<std::string>(&r)) {
      file.error = Problem{Problem::Kind::invalid, to_string(Location{path, number}) + ": " + *why};
      return file;
    }
    if (auto *d = std::get_if<Directive>(&r)) file.directives.push_back(std::move(*d));
  }
  return file;
}

Problem problem_at(Problem::Kind kind, const Location &at, const std::string &what) {
  return Problem{kind, to_string(at) + ": " + what};
}

// Reads the tree in sshd's order, expanding every Include in place, within
// the bounds above.
class Loader {
 public:
  explicit Loader(const ConfigSource &source) : source_(source) {}

  Loaded run(const std::string &main_path) {
    Loaded out;
    auto main = read(main_path, nullptr);
    if (auto *p = std::get_if<Problem>(&main)) {
      out.problem = std::move(*p);
    } else {
      out.problem = walk(std::get<std::size_t>(main), 0);
    }
    out.config = std::move(config_);
    return out;
  }

 private:
  using Read = std::variant<std::size_t, Problem>;

  Read read(const std::string &path, const Location *included_at) {
    if (auto it = by_path_.find(path); it != by_path_.end()) return it->second;
    ConfigSource::File f = source_.read(path);
    switch (f.outcome) {
      case ConfigSource::Outcome::ok: break;
      case ConfigSource::Outcome::not_found:
        if (!included_at) return Problem{Problem::Kind::missing, path + " not found"};
        return problem_at(Problem::Kind::invalid, *included_at,
                          "included file " + path + " cannot be opened (not found)");
      case ConfigSource::Outcome::permission:
        return Problem{Problem::Kind::permission, "cannot read " + path + " (permission denied)"};
      case ConfigSource::Outcome::too_large:
        return Problem{Problem::Kind::limit,
                       path + " is larger than " + std::to_string(kMaxFileBytes >> 20) +
                           " MiB, not a plausible sshd configuration"};
      case ConfigSource::Outcome::error:
        return Problem{Problem::Kind::unreadable, "cannot read " + path + ": " + f.message};
    }
    config_.files.push_back(parse_file(path, f.text));
    by_path_.emplace(path, config_.files.size() - 1);
    return config_.files.size() - 1;
  }

  std::size_t empty(const std::string &path) {
    if (auto it = by_path_.find(path); it != by_path_.end()) return it->second;
    config_.files.push_back(ConfigFile{path, {}, std::nullopt});
    by_path_.emplace(path, config_.files.size() - 1);
    return config_.files.size() - 1;
  }

  static Problem denied(const ConfigSource::Glob &g, const std::string &pattern) {
    if (g.denied_listing)
      return Problem{Problem::Kind::permission,
                     "cannot list " + g.denied + " for Include " + pattern + " (permission denied)"};
    return Problem{Problem::Kind::permission, "cannot read " + g.denied + " (permission denied)"};
  }

  std::variant<std::vector<std::size_t>, Problem> expand(const std::string &pattern,
                                                         const Location &at) {
    if (auto it = config_.globs.find(pattern); it != config_.globs.end()) return it->second;
    if (config_.globs.size() >= kMaxIncludePatterns)
      return problem_at(Problem::Kind::limit, at,
                        "stopped after " + std::to_string(kMaxIncludePatterns) +
                            " distinct Include patterns, too many for a real configuration");
    std::vector<std::size_t> files;
    // glob(3) without GLOB_TILDE, as sshd calls it, never expands '~'.
    if (pattern[0] != '~') {
      const ConfigSource::Glob g = source_.glob(pattern);
      if (!g.denied.empty()) return denied(g, pattern);
      for (const auto &path : g.paths) {
        // sshd reads a directory as an empty file.
        Read r = g.directories.count(path) != 0 ? empty(path) : read(path, &at);
        if (auto *p = std::get_if<Problem>(&r)) return std::move(*p);
        files.push_back(std::get<std::size_t>(r));
      }
    }
    config_.globs.emplace(pattern, files);
    return files;
  }

  std::optional<Problem> walk(std::size_t index, int depth) {
    // config_.files grows while walking: index it afresh, never hold a reference.
    const std::string path = config_.files[index].path;
    for (std::size_t i = 0; i < config_.files[index].directives.size(); ++i) {
      if (++directives_ > kMaxDirectives)
        return Problem{Problem::Kind::limit,
                       "stopped after " + std::to_string(kMaxDirectives) +
                           " directives: Includes repeat too much for a real configuration"};
      if (config_.files[index].directives[i].kind != DirectiveKind::include) continue;
      const Location at{path, config_.files[index].directives[i].line};
      const std::vector<std::string> patterns = config_.files[index].directives[i].patterns;
      for (const auto &pattern : patterns)
        if (auto p = include(pattern, at, depth)) return p;
    }
    return config_.files[index].error;
  }

  std::optional<Problem> include(const std::string &pattern, const Location &at, int depth) {
    auto expanded = expand(pattern, at);
    if (auto *p = std::get_if<Problem>(&expanded)) return std::move(*p);
    for (std::size_t file : std::get<std::vector<std::size_t>>(expanded)) {
      if (depth + 1 > kMaxIncludeDepth)
        return problem_at(Problem::Kind::invalid, at,
                          "Include nested more than " + std::to_string(kMaxIncludeDepth) +
                              " levels deep (an Include loop?)");
      if (++inclusions_ > kMaxIncludedFiles)
        return problem_at(Problem::Kind::limit, at,
                          "stopped after " + std::to_string(kMaxIncludedFiles) +
                              " included files, too many for a real configuration");
      if (auto p = walk(file, depth + 1)) return p;
    }
    return std::nullopt;
  }

  const ConfigSource &source_;
  Config config_;
  std::map<std::string, std::size_t> by_path_;
  std::size_t inclusions_ = 0;
  std::size_t directives_ = 0;
};

bool may_sit_in_match(const Directive &d) {
  switch (d.kind) {
    case DirectiveKind::setting: return allowed_in_match(d.key);
    case DirectiveKind::other: return !d.global_only;
    case DirectiveKind::include:
    case DirectiveKind::match: break;
  }
  return true;
}

// One parse of servconf.c: with no connection the global pass
// (parse_server_config), with one the Match pass (parse_server_match_config).
class Pass {
 public:
  Pass(const Config &config, const Connection *conn) : config_(config), conn_(conn) {}

  void run() {
    bool active = conn_ == nullptr;
    file(0, active, conn_ ? kMatchOnly : 0, std::nullopt);
  }

  Effective result;
  std::optional<Problem> problem;

 private:
  void file(std::size_t index, bool &active, unsigned flags, const std::optional<Block> &outer) {
    const ConfigFile &f = config_.files[index];
    std::optional<Block> block = outer;
    for (const Directive &d : f.directives) {
      if (problem) return;
      const Location at{f.path, d.line};
      switch (d.kind) {
        case DirectiveKind::match:
          active = (flags & kNeverMatch) == 0 && satisfies(d.condition, conn_);
          flags &= ~kMatchOnly;
          block = Block{at, d.written};
          break;
        case DirectiveKind::include: include(d, active, flags, block); break;
        case DirectiveKind::setting: setting(d, at, active, block); break;
        case DirectiveKind::other: refused(d, at, active); break;
      }
    }
  }

  // An included file never clobbers the Match state of the file including it.
  void include(const Directive &d, bool &active, unsigned flags, const std::optional<Block> &block) {
    for (const auto &pattern : d.patterns) {
      for (std::size_t f : config_.globs.at(pattern)) {
        const bool outer_active = active;
        const unsigned inner = (flags & kMatchOnly) ? kMatchOnly : (outer_active ? 0 : kNeverMatch);
        file(f, active, inner, block);
        active = outer_active;
      }
    }
  }

  // A global-only keyword in a block the pass skips: the global pass refuses
  // it, the Match pass has seen it already.
  bool refused(const Directive &d, const Location &at, bool active) {
    if (active || may_sit_in_match(d)) return false;
    if (!conn_)
      problem = problem_at(Problem::Kind::invalid, at,
                           "Directive '" + d.written.substr(0, d.written.find(' ')) +
                               "' is not allowed within a Match block");
    return true;
  }

  void setting(const Directive &d, const Location &at, bool active, const std::optional<Block> &block) {
    if (refused(d, at, active)) return;
    auto &slot = result.settings[static_cast<std::size_t>(d.key)];
    if (active && !slot) slot = Setting{d.value, d.written, at, block};
  }

  const Config &config_;
  const Connection *conn_;
};

// Walks every block some connection could satisfy, collecting the settings
// made under a condition. A block in an included file inside a Match block
// holds only when both Match lines do, so a scope carries every criterion in
// force; sshd keeps the first value a connection obtains, so a setting is
// shadowed when an earlier one for the same keyword was made under a subset
// of its criteria: whoever satisfies it satisfied that one first.
class Collector {
 public:
  struct Scope {
    std::optional<Block> block;  // the innermost conditional Match line
    std::set<std::pair<std::string, std::string>> criteria;
    bool in_match = false;
    bool satisfiable = true;
  };

  explicit Collector(const Config &config) : config_(config) {}

  void file(std::size_t index, const Scope &outer) {
    const ConfigFile &f = config_.files[index];
    Scope scope = outer;
    for (const Directive &d : f.directives) {
      const Location at{f.path, d.line};
      if (d.kind == DirectiveKind::match) {
        scope = enter(outer, d, at);
      } else if (d.kind == DirectiveKind::include) {
        for (const auto &pattern : d.patterns)
          for (std::size_t inc : config_.globs.at(pattern)) file(inc, scope);
      } else if (d.kind == DirectiveKind::setting && allowed_in_match(d.key)) {
        record(d, at, scope);
      }
    }
  }

  std::vector<ConditionalSetting> found;

 private:
  static Scope enter(const Scope &outer, const Directive &d, const Location &at) {
    Scope scope = outer;
    scope.in_match = true;
    if (d.condition.all) return scope;
    scope.block = Block{at, d.written};
    for (const auto &c : d.condition.criteria) scope.criteria.emplace(c.attribute, c.argument);
    scope.satisfiable = outer.satisfiable && satisfiable(d.condition);
    return scope;
  }

  void record(const Directive &d, const Location &at, const Scope &scope) {
    if (!scope.in_match || !scope.satisfiable) return;
    auto &earlier = obtained_[static_cast<std::size_t>(d.key)];
    const bool shadowed = std::any_of(earlier.begin(), earlier.end(), [&](const auto &e) {
      return std::includes(scope.criteria.begin(), scope.criteria.end(), e.begin(), e.end());
    });
    earlier.push_back(scope.criteria);
    // No criteria: a `Match all` value, obtained by every connection.
    if (scope.criteria.empty()) return;
    found.push_back({d.key, Setting{d.value, d.written, at, scope.block}, shadowed});
  }

  const Config &config_;
  std::array<std::vector<std::set<std::pair<std::string, std::string>>>, kKeyCount> obtained_;
};

}  // namespace

const char *keyword_name(Key k) {
  switch (k) {
    case Key::password_authentication: return "PasswordAuthentication";
    case Key::kbd_interactive_authentication: return "KbdInteractiveAuthentication";
    case Key::permit_root_login: return "PermitRootLogin";
    case Key::use_pam: return "UsePAM";
  }
  return "";
}

const char *default_value(Key k) {
  switch (k) {
    case Key::password_authentication: return "yes";
    case Key::kbd_interactive_authentication: return "yes";
    case Key::permit_root_login: return "prohibit-password";
    case Key::use_pam: return "no";
  }
  return "";
}

bool allowed_in_match(Key k) { return k != Key::use_pam; }

std::vector<std::pair<std::string, bool>> other_keywords() {
  std::vector<std::pair<std::string, bool>> out;
  for (const char *name : kAnywhere) out.emplace_back(name, true);
  for (const char *name : kGlobalOnly) out.emplace_back(name, false);
  return out;
}

std::string to_string(const Location &l) { return l.file + ":" + std::to_string(l.line); }

std::string Effective::value(Key k) const {
  const auto &s = get(k);
  return s ? s->value : default_value(k);
}

Loaded load_config(const ConfigSource &source, const std::string &main_path) {
  return Loader(source).run(main_path);
}

Evaluation evaluate(const Config &config, const Connection &conn) {
  Evaluation out;
  Pass global(config, nullptr);
  global.run();
  if (global.problem) {
    out.problem = global.problem;
    return out;
  }
  Pass match(config, &conn);
  match.run();
  out.effective = global.result;
  // copy_set_server_options: a value from a satisfied Match block replaces
  // the global one, for the keywords a Match block may set.
  for (std::size_t k = 0; k < kKeyCount; ++k) {
    if (allowed_in_match(static_cast<Key>(k)) && match.result.settings[k])
      out.effective.settings[k] = match.result.settings[k];
  }
  return out;
}

std::vector<ConditionalSetting> conditional_settings(const Config &config) {
  Collector c(config);
  if (!config.files.empty()) c.file(0, Collector::Scope{});
  return std::move(c.found);
}

Analysis analyze(const ConfigSource &source, const std::string &main_path) {
  Analysis out;
  Loaded loaded = load_config(source, main_path);
  if (loaded.problem) {
    out.problem = std::move(loaded.problem);
    return out;
  }
  Evaluation e = evaluate(loaded.config, Connection{});
  if (e.problem) {
    out.problem = std::move(e.problem);
    return out;
  }
  out.effective = std::move(e.effective);
  out.conditional = conditional_settings(loaded.config);
  return out;
}

}  // namespace hermes_inspect::sshd
