#include "compiler/driver/streaming_parse.h"

#include <utility>

#include "compiler/support/diagnostic.h"
#include "compiler/syntax/outline.h"

namespace ward::driver {

StreamingParse::StreamingParse(const SourceManager& sources, const std::vector<FileId>& files,
                               std::vector<const ast::File*> outlines,
                               const syntax::ParseOptions& options, unsigned jobs)
    : sources_(sources),
      files_(files),
      outlines_(std::move(outlines)),
      options_(options),
      // Enough files ahead to keep every worker busy while analysis checks
      // one, few enough that their ASTs stay a small part of the heap.
      window_(4 * static_cast<size_t>(jobs) + 4),
      slots_(files.size()) {
  for (size_t i = 0; i < outlines_.size(); ++i) {
    if (syntax::DeclaresCatalog(*outlines_[i])) schedule_.push_back(i);
  }
  for (size_t i = 0; i < outlines_.size(); ++i) {
    if (!syntax::DeclaresCatalog(*outlines_[i])) schedule_.push_back(i);
  }
  if (jobs > 1) {
    for (unsigned j = 0; j < jobs; ++j) workers_.emplace_back([this] { Work(); });
  }
}

StreamingParse::~StreamingParse() { StopWorkers(); }

void StreamingParse::StopWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  taken_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

std::unique_ptr<ast::File> StreamingParse::Parse(size_t index) const {
  // Any diagnostic (even a warning) means the ordinary path must run: it
  // reports the parser's diagnostics before analysis's, in file order.
  DiagnosticEngine diags;
  std::optional<ast::File> parsed =
      syntax::ParseFile(*sources_.Get(files_[index]), diags, options_);
  if (!parsed || !diags.diagnostics().empty() || !syntax::SameOutline(*outlines_[index], *parsed)) {
    return nullptr;
  }
  return std::make_unique<ast::File>(std::move(*parsed));
}

void StreamingParse::Work() {
  while (true) {
    size_t index;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      taken_.wait(lock, [this] {
        return stop_ || next_ >= schedule_.size() || next_ < taken_count_ + window_;
      });
      if (stop_ || next_ >= schedule_.size()) return;
      index = schedule_[next_++];
    }
    std::unique_ptr<ast::File> ast = Parse(index);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      slots_[index].ast = std::move(ast);
      slots_[index].done = true;
    }
    parsed_.notify_all();
  }
}

std::unique_ptr<ast::File> StreamingParse::Take(size_t index) {
  std::unique_ptr<ast::File> ast;
  if (workers_.empty()) {
    ast = Parse(index);
  } else {
    std::unique_lock<std::mutex> lock(mutex_);
    parsed_.wait(lock, [&] { return slots_[index].done; });
    ast = std::move(slots_[index].ast);
    ++taken_count_;
  }
  if (ast) {
    taken_.notify_all();  // the window moved
  } else {
    // Analysis stops and frees the outlines: no worker may read one again.
    StopWorkers();
  }
  return ast;
}

}  // namespace ward::driver
