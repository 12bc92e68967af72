// Output replacement reuses the previous build's unchanged files (hard
// links) and writes the rest: what a user sees must be exactly a fresh
// build's tree, with removed files gone, edited or planted files in the old
// output never trusted, and the swap still all-or-nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "compiler/driver/output_writer.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

class OutputStagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ward-staging-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Out() const { return dir_ / "out"; }

  bool Write(const std::map<std::string, std::string>& files) {
    backends::OutputSet out;
    for (const auto& [path, text] : files) out.Add(path, text);
    DiagnosticEngine diags;
    return WriteOutputs(out, Out().string(), diags);
  }

  // Every regular file under the output, by relative path (the marker too).
  std::map<std::string, std::string> Tree() const {
    std::map<std::string, std::string> tree;
    for (const auto& entry : fs::recursive_directory_iterator(Out())) {
      EXPECT_FALSE(entry.is_symlink()) << entry.path();
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      tree[entry.path().lexically_relative(Out()).generic_string()] =
          std::string((std::istreambuf_iterator<char>(in)), {});
    }
    return tree;
  }

  ino_t Inode(const std::string& relative) const {
    struct stat st {};
    EXPECT_EQ(::lstat((Out() / relative).c_str(), &st), 0) << relative;
    return st.st_ino;
  }

  fs::path dir_;
};

std::map<std::string, std::string> WithMarker(std::map<std::string, std::string> files) {
  files[kOutputMarker] = "This directory is written by ward and replaced on every build.\n";
  return files;
}

TEST_F(OutputStagingTest, UnchangedFilesAreReusedChangedRewrittenRemovedDeleted) {
  std::map<std::string, std::string> first = {{"sigma/a.yml", "title: A\n"},
                                              {"sigma/b.yml", "title: B\n"},
                                              {"yara/all.yar", "rule r { condition: true }\n"},
                                              {"gone/c.txt", "c"}};
  ASSERT_TRUE(Write(first));
  ASSERT_EQ(Tree(), WithMarker(first));
  ino_t a = Inode("sigma/a.yml");
  ino_t b = Inode("sigma/b.yml");

  std::map<std::string, std::string> second = {{"sigma/a.yml", "title: A\n"},
                                               {"sigma/b.yml", "title: B2\n"},
                                               {"yara/all.yar", "rule r { condition: true }\n"},
                                               {"new/d.txt", "d"}};
  ASSERT_TRUE(Write(second));
  EXPECT_EQ(Tree(), WithMarker(second));  // gone/c.txt and gone/ are deleted
  EXPECT_FALSE(fs::exists(Out() / "gone"));
  EXPECT_EQ(Inode("sigma/a.yml"), a);  // reused, not written again
  EXPECT_NE(Inode("sigma/b.yml"), b);  // a new file: the old one was never written into
  // Nothing is left beside the output (staging or backup directories).
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST_F(OutputStagingTest, EditedFilesInThePreviousOutputAreRewritten) {
  ASSERT_TRUE(Write({{"sigma/a.yml", "title: A\n"}}));
  // Same size, different bytes: the comparison must read the content.
  std::ofstream(Out() / "sigma/a.yml", std::ios::binary | std::ios::trunc) << "title: X\n";
  ASSERT_TRUE(Write({{"sigma/a.yml", "title: A\n"}}));
  EXPECT_EQ(Tree(), WithMarker({{"sigma/a.yml", "title: A\n"}}));
}

TEST_F(OutputStagingTest, SymlinksPlantedInThePreviousOutputAreNotFollowed) {
  fs::create_directories(dir_ / "elsewhere");
  std::ofstream(dir_ / "elsewhere" / "a.yml", std::ios::binary) << "title: A\n";
  ASSERT_TRUE(Write({{"sigma/a.yml", "title: A\n"}, {"yara/all.yar", "x"}}));
  fs::remove(Out() / "sigma/a.yml");
  fs::create_symlink(dir_ / "elsewhere" / "a.yml", Out() / "sigma/a.yml");
  fs::remove_all(Out() / "yara");
  fs::create_directory_symlink(dir_ / "elsewhere", Out() / "yara");
  std::ofstream(dir_ / "elsewhere" / "all.yar", std::ios::binary) << "x";

  ASSERT_TRUE(Write({{"sigma/a.yml", "title: A\n"}, {"yara/all.yar", "x"}}));
  EXPECT_EQ(Tree(), WithMarker({{"sigma/a.yml", "title: A\n"}, {"yara/all.yar", "x"}}));
  struct stat outside {
  }, inside{};
  ASSERT_EQ(::stat((dir_ / "elsewhere" / "a.yml").c_str(), &outside), 0);
  ASSERT_EQ(::lstat((Out() / "sigma/a.yml").c_str(), &inside), 0);
  EXPECT_NE(outside.st_ino, inside.st_ino);  // not a link to the planted file
  EXPECT_EQ(outside.st_nlink, 1u);
}

TEST_F(OutputStagingTest, ManyFilesAreAllWrittenExactly) {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 700; ++i) {
    files["pkg" + std::to_string(i % 7) + "/rule" + std::to_string(i) + ".yml"] =
        "title: rule " + std::to_string(i) + "\n" + std::string(static_cast<size_t>(i), 'x');
  }
  ASSERT_TRUE(Write(files));
  EXPECT_EQ(Tree(), WithMarker(files));
  // A second build with every tenth file changed and one removed.
  for (int i = 0; i < 700; i += 10) {
    files["pkg" + std::to_string(i % 7) + "/rule" + std::to_string(i) + ".yml"] += "changed";
  }
  files.erase("pkg1/rule1.yml");
  ASSERT_TRUE(Write(files));
  EXPECT_EQ(Tree(), WithMarker(files));
}

}  // namespace
}  // namespace ward::driver
