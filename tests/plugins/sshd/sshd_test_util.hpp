// A configuration tree in a temporary directory, analysed through TreeSource.
#pragma once

#include "sshd_config.hpp"
#include "test_support.hpp"
#include "tree_source.hpp"

#include <string>

namespace hi::test::sshd {

class Tree {
 public:
  // Writes /etc/ssh/<relative> in the tree.
  Tree &file(const std::string &relative, const std::string &text) {
    dir_.write("etc/ssh/" + relative, text);
    return *this;
  }

  const std::string &root() const { return dir_.path(); }
  TreeSource source() const { return TreeSource(dir_.path()); }

  hermes_inspect::sshd::Analysis analyze() const {
    const TreeSource s = source();
    return hermes_inspect::sshd::analyze(s);
  }

  hermes_inspect::sshd::Loaded load() const {
    const TreeSource s = source();
    return hermes_inspect::sshd::load_config(s);
  }

 private:
  TempDir dir_;
};

}  // namespace hi::test::sshd
