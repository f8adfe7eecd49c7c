// The parser against the real thing: for every tree in corpus/, the values
// the parser computes must equal what OpenSSH's own `sshd -T` prints, with
// and without `-C` connection specs. sshd reads the tree at /etc/ssh through
// a bind mount in a private mount namespace, so relative Includes resolve as
// in production while the host's /etc/ssh is never touched.
#include "sshd_config.hpp"
#include "test_support.hpp"
#include "tree_source.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace hermes_inspect::sshd;

namespace {

constexpr const char *kSshd = "/usr/sbin/sshd";
constexpr const char *kUnshare = "/usr/bin/unshare";
constexpr const char *kSshKeygen = "/usr/bin/ssh-keygen";

// A private /run (sshd -T insists on its privilege-separation directory) and
// the tree's etc/ssh over /etc/ssh, both gone when the namespace ends.
constexpr const char *kInNamespace =
    "set -e\n"
    "mount -t tmpfs -o mode=0755 tmpfs /run\n"
    "mkdir /run/sshd\n"
    "mount --bind \"$1/etc/ssh\" /etc/ssh\n"
    "key=$2\n"
    "shift 2\n"
    "exec /usr/sbin/sshd -T -f /etc/ssh/sshd_config -h \"$key\" \"$@\"\n";

// Each keyword with a dummy value, once at the top level and once in a Match
// block no connection satisfies: sshd's first complaint about each.
constexpr const char *kKeywordProbe =
    "set -e\n"
    "mount -t tmpfs -o mode=0755 tmpfs /run\n"
    "mkdir /run/sshd\n"
    "key=$1\n"
    "shift\n"
    "for kw in \"$@\"; do\n"
    "  printf '%s x\\n' \"$kw\" > /run/global.conf\n"
    "  printf 'Match User nobody-at-all\\n%s x\\n' \"$kw\" > /run/match.conf\n"
    "  g=$(/usr/sbin/sshd -T -f /run/global.conf -h \"$key\" 2>&1 >/dev/null | head -n 1)\n"
    "  m=$(/usr/sbin/sshd -T -f /run/match.conf -h \"$key\" 2>&1 >/dev/null | head -n 1)\n"
    "  printf '%s\\t%s\\t%s\\n' \"$kw\" \"$g\" \"$m\"\n"
    "done\n";

std::string corpus_dir() { return hi::test::source_dir() + "/tests/plugins/sshd/corpus"; }

std::vector<std::string> corpus_cases() {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(corpus_dir()))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> lines_of(const std::string &path) {
  std::vector<std::string> out;
  std::istringstream in(hi::test::read_text(path));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::vector<std::string> group_names(const std::string &user) {
  const passwd *pw = ::getpwnam(user.c_str());
  if (!pw) return {};
  int count = 64;
  std::vector<gid_t> gids(static_cast<std::size_t>(count));
  if (::getgrouplist(user.c_str(), pw->pw_gid, gids.data(), &count) < 0) return {};
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i)
    if (const group *g = ::getgrgid(gids[static_cast<std::size_t>(i)])) names.emplace_back(g->gr_name);
  return names;
}

// The same connection sshd gets from `-C spec`.
Connection connection_of(const std::string &spec) {
  Connection c;
  std::istringstream in(spec);
  for (std::string field; std::getline(in, field, ',');) {
    const auto eq = field.find('=');
    const std::string key = field.substr(0, eq), value = field.substr(eq + 1);
    if (key == "user") c.user = value;
    if (key == "host") c.host = value;
    if (key == "addr") c.address = value;
    if (key == "laddr") c.local_address = value;
    if (key == "lport") c.local_port = std::stoi(value);
    if (key == "rdomain") c.rdomain = value;
  }
  if (c.user) c.groups = group_names(*c.user);
  return c;
}

struct SshdAnswer {
  bool accepted = false;
  std::map<std::string, std::string> values;  // the four keys, as sshd prints them
  std::string err;
};

SshdAnswer ask_sshd(const std::string &tree, const std::string &key, const std::string &spec) {
  std::vector<std::string> argv{kUnshare, "-m", "/bin/sh", "-c", kInNamespace, "sh", tree, key};
  if (!spec.empty()) argv.insert(argv.end(), {"-C", spec});
  const auto r = hi::test::run_process(argv);
  SshdAnswer a;
  a.accepted = r.exit_code == 0 && r.term_signal == 0;
  a.err = r.err;
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) {
    const auto space = line.find(' ');
    const std::string k = line.substr(0, space);
    if (k == "passwordauthentication" || k == "kbdinteractiveauthentication" ||
        k == "permitrootlogin" || k == "usepam")
      a.values[k] = line.substr(space + 1);
  }
  return a;
}

std::map<std::string, std::string> as_sshd_prints(const Effective &e) {
  std::string root = e.value(Key::permit_root_login);
  if (root == "prohibit-password") root = "without-password";
  return {{"passwordauthentication", e.value(Key::password_authentication)},
          {"kbdinteractiveauthentication", e.value(Key::kbd_interactive_authentication)},
          {"permitrootlogin", root},
          {"usepam", e.value(Key::use_pam)}};
}

std::string dump(const std::map<std::string, std::string> &m) {
  std::string out;
  for (const auto &[k, v] : m) out += k + "=" + v + " ";
  return out;
}

bool oracle_available(std::string *why) {
  if (::geteuid() != 0) {
    *why = "needs root for unshare -m and mount (CI runs as root)";
    return false;
  }
  for (const char *tool : {kSshd, kUnshare, kSshKeygen}) {
    if (::access(tool, X_OK) != 0) {
      *why = std::string(tool) + " missing: install openssh-server and util-linux";
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("sshd: the corpus holds at least 30 trees, each with a main sshd_config", "[sshd][oracle]") {
  const auto cases = corpus_cases();
  CHECK(cases.size() >= 30);
  for (const auto &name : cases) {
    INFO(name);
    CHECK(fs::is_regular_file(corpus_dir() + "/" + name + "/etc/ssh/sshd_config"));
  }
}

TEST_CASE("sshd: the parser computes what sshd -T prints, for every corpus tree", "[sshd][oracle]") {
  std::string why;
  if (!hi::test::runs_here(oracle_available(&why), why)) return;
  const hi::test::TempDir keys;
  const std::string key = keys / "hostkey";
  const auto keygen = hi::test::run_process({kSshKeygen, "-q", "-t", "ed25519", "-N", "", "-f", key});
  REQUIRE(keygen.exit_code == 0);

  std::size_t compared = 0, refused = 0;
  for (const auto &name : corpus_cases()) {
    const std::string tree = corpus_dir() + "/" + name;
    std::vector<std::string> specs;
    if (!fs::exists(tree + "/needs-connection")) specs.emplace_back();
    if (fs::exists(tree + "/connections")) {
      const auto more = lines_of(tree + "/connections");
      specs.insert(specs.end(), more.begin(), more.end());
    }
    REQUIRE_FALSE(specs.empty());

    const hi::test::sshd::TreeSource source(tree);
    const Loaded loaded = load_config(source);
    for (const auto &spec : specs) {
      const SshdAnswer sshd = ask_sshd(tree, key, spec);
      INFO("case " << name << ", -C '" << spec << "'; sshd stderr: " << sshd.err);
      std::optional<Problem> problem = loaded.problem;
      Effective mine;
      if (!problem) {
        const Evaluation e = evaluate(loaded.config, connection_of(spec));
        problem = e.problem;
        mine = e.effective;
      }
      INFO("parser: " << (problem ? problem->message : dump(as_sshd_prints(mine))));
      if (!sshd.accepted) {
        ++refused;
        CHECK(problem.has_value());
        if (problem) CHECK(problem->kind == Problem::Kind::invalid);
        continue;
      }
      ++compared;
      REQUIRE_FALSE(problem.has_value());
      REQUIRE(sshd.values.size() == 4);
      CHECK(as_sshd_prints(mine) == sshd.values);
    }
  }
  // Both outcomes were exercised: the corpus has accepted and refused trees.
  CHECK(compared >= 30);
  CHECK(refused >= 5);
}

TEST_CASE("sshd: the parser knows every keyword sshd does, and which a Match block may hold",
          "[sshd][oracle]") {
  std::string why;
  if (!hi::test::runs_here(oracle_available(&why), why)) return;
  const hi::test::TempDir keys;
  const std::string key = keys / "hostkey";
  REQUIRE(hi::test::run_process({kSshKeygen, "-q", "-t", "ed25519", "-N", "", "-f", key}).exit_code == 0);

  const auto known = other_keywords();
  std::vector<std::string> argv{kUnshare, "-m", "/bin/sh", "-c", kKeywordProbe, "sh", key};
  for (const auto &k : known) argv.push_back(k.first);
  const auto r = hi::test::run_process(argv);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::pair<std::string, std::string>> complaints;
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) {
    const auto tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
    complaints[line.substr(0, tab1)] = {line.substr(tab1 + 1, tab2 - tab1 - 1), line.substr(tab2 + 1)};
  }
  REQUIRE(complaints.size() == known.size());
  for (const auto &[name, in_match] : known) {
    const auto &[global, match] = complaints[name];
    INFO(name << ": sshd said '" << global << "' at the top level, '" << match << "' in a Match block");
    CHECK_THAT(global, !Catch::Contains("Bad configuration option"));
    const bool refused_in_match = match.find("not allowed within a Match block") != std::string::npos;
    CHECK(refused_in_match == !in_match);
  }

  // Every keyword sshd -T prints is one the parser accepts.
  const hi::test::TempDir tree;
  tree.write("etc/ssh/sshd_config", "");
  const auto printed = hi::test::run_process(
      {kUnshare, "-m", "/bin/sh", "-c", kInNamespace, "sh", tree.path(), key});
  REQUIRE(printed.exit_code == 0);
  std::istringstream lines(printed.out);
  std::size_t names = 0;
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find(' '));
    tree.write("etc/ssh/sshd_config", name + " x\n");
    const hi::test::sshd::TreeSource source(tree.path());
    const Loaded loaded = load_config(source);
    INFO(name << ": " << (loaded.problem ? loaded.problem->message : "accepted"));
    CHECK_FALSE((loaded.problem && loaded.problem->message.find("Bad configuration option") != std::string::npos));
    ++names;
  }
  CHECK(names >= 80);
}
