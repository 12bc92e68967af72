// TEMPORARY exploration harness (to be deleted).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "tests/syntax/parse_helpers.h"

namespace ward::syntax {
namespace {

TEST(Explore, File) {
  const char* path = std::getenv("WARD_EXPLORE");
  if (!path) GTEST_SKIP();
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  auto t0 = std::chrono::steady_clock::now();
  auto p = testing::Parse(b.str());
  auto t1 = std::chrono::steady_clock::now();
  for (auto& m : p->Messages()) std::cout << m << "\n";
  for (auto& d : p->diags.diagnostics()) {
    for (auto& s : d.secondary) std::cout << "   secondary " << p->Where(s.span) << " " << s.message << "\n";
    if (d.help) std::cout << "   help: " << *d.help << "\n";
  }
  std::cout << "file: " << (p->file ? "yes" : "no");
  if (p->file) std::cout << " decls=" << p->file->decls.size() << " skipped=" << p->file->skipped_decls.size() << " had_errors=" << p->file->had_syntax_errors;
  std::cout << "\ntime ms: " << std::chrono::duration<double, std::milli>(t1 - t0).count() << "\n";
}

}  // namespace
}  // namespace ward::syntax
