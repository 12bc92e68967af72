#ifndef WARD_COMPILER_DRIVER_STREAMING_PARSE_H_
#define WARD_COMPILER_DRIVER_STREAMING_PARSE_H_

// Parses files on worker threads a few files ahead of analysis, which takes
// each AST once it needs its bodies (sema::AnalyzeFromOutlines). At 100,000
// detections the ASTs of every file held at once were most of the peak
// memory; this way only a window of them is alive, and analysis runs while
// the later files are still being parsed.

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "compiler/sema/analyzer.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/parser.h"

namespace ward::driver {

class StreamingParse : public sema::AstFeed {
 public:
  // `outlines[i]` is the outline of `files[i]` (owned by analysis, which
  // frees it only after taking that file); `jobs` threads parse (1: each
  // file is parsed on the calling thread when it is taken).
  StreamingParse(const SourceManager& sources, const std::vector<FileId>& files,
                 std::vector<const ast::File*> outlines, const syntax::ParseOptions& options,
                 unsigned jobs);
  ~StreamingParse() override;
  StreamingParse(const StreamingParse&) = delete;
  StreamingParse& operator=(const StreamingParse&) = delete;

  // The file's AST if it parsed without a single diagnostic and matches its
  // outline; null otherwise, after which no thread reads an outline again.
  std::unique_ptr<ast::File> Take(size_t index) override;

 private:
  struct Slot {
    std::unique_ptr<ast::File> ast;
    bool done = false;
  };
  // Parses file `index` and checks it against its outline (no lock held).
  std::unique_ptr<ast::File> Parse(size_t index) const;
  void Work();
  void StopWorkers();

  const SourceManager& sources_;
  const std::vector<FileId>& files_;
  std::vector<const ast::File*> outlines_;
  syntax::ParseOptions options_;
  // The order analysis takes the files in: catalog files first.
  std::vector<size_t> schedule_;
  size_t window_;

  std::mutex mutex_;
  std::condition_variable parsed_;  // a slot is done
  std::condition_variable taken_;   // the window moved, or stop
  std::vector<Slot> slots_;
  size_t next_ = 0;  // next position of schedule_ to parse
  size_t taken_count_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_STREAMING_PARSE_H_
