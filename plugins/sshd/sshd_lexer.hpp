// The two tokenizers of OpenSSH 9.x's sshd_config reader (misc.c), ported
// byte-for-byte in behaviour: `strdelim` splits the keyword (and Match
// criteria) on whitespace or one '=', `argv_split` splits values with quotes,
// backslash escapes and a '#' comment at the start of a word.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hermes_inspect::sshd {

// strdelim over a private copy of the line. A returned nullopt is C's NULL
// (end of input, or an opening quote without its closing one); an empty
// string is the empty token C returns once at the end of the line.
class Delimiter {
 public:
  explicit Delimiter(std::string text);

  std::optional<std::string> next();

  // What is left after the tokens taken so far; nullopt once C's pointer is NULL.
  std::optional<std::string> rest() const;

 private:
  std::size_t skip_whitespace(std::size_t from) const;

  std::string buf_;
  std::optional<std::size_t> pos_;
};

// argv_split(s, terminate_on_comment = 1); nullopt for an unterminated quote.
std::optional<std::vector<std::string>> split_arguments(std::string_view s);

// The logical lines sshd parses from a file's bytes, as load_server_config and
// parse_server_config build them: leading " \t\r" dropped, a line cut at an
// embedded NUL (which also swallows its newline), then split on '\n'.
std::vector<std::string> config_lines(std::string_view file_text);

// A line without the trailing whitespace and form feeds sshd strips.
std::string strip_trailing(std::string line);

bool equals_ignore_case(std::string_view a, std::string_view b);
std::string lower(std::string_view s);

}  // namespace hermes_inspect::sshd
