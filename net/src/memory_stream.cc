#include "onecard/net/memory_stream.h"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <deque>
#include <limits>
#include <optional>

#include "onecard/protocol/status.h"

namespace onecard::net {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

void Complete(const asio::any_io_executor& executor, MemoryStream::Handler handler, error_code ec,
              size_t n) {
  asio::post(executor,
             [handler = std::move(handler), ec, n]() mutable { std::move(handler)(ec, n); });
}

}  // namespace

// One direction of the connection, with at most one read waiting on it.
struct MemoryStream::Pipe {
  explicit Pipe(asio::any_io_executor ex) : executor(std::move(ex)) {}

  asio::any_io_executor executor;
  std::deque<uint8_t> bytes;
  bool writer_closed = false;       // nothing more will be written: the reader drains, then eof
  bool reader_closed = false;       // the reading end is closed
  std::optional<size_t> allowance;  // bytes the reader may still receive before `fault`
  bool stall = false;               // the fault: stall (true) or end of stream (false)
  std::vector<asio::mutable_buffer> targets;
  // The pending read, if any. Never assigned: Boost 1.81's any_completion_handler move assignment
  // copies its argument as an lvalue, which wraps the handler in itself without end.
  std::optional<Handler> waiting;
  asio::any_io_executor work;  // keeps the executor's io_context running while a read waits

  // Completes the pending read if it can complete now; otherwise leaves it waiting.
  void Service() {
    if (!waiting) return;
    if (reader_closed) return Finish(asio::error::operation_aborted, 0);
    const size_t room = asio::buffer_size(targets);
    if (room == 0) return Finish({}, 0);
    const size_t limit = allowance.value_or(std::numeric_limits<size_t>::max());
    const size_t n = std::min({bytes.size(), limit, room});
    if (n > 0) {
      std::vector<uint8_t> chunk(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      asio::buffer_copy(targets, asio::buffer(chunk));
      if (allowance) *allowance -= n;
      return Finish({}, n);
    }
    if (limit == 0) {
      if (!stall) Finish(asio::error::eof, 0);
      return;
    }
    if (writer_closed) Finish(asio::error::eof, 0);
  }

  void Finish(error_code ec, size_t n) {
    Handler handler(std::move(*waiting));
    waiting.reset();
    Complete(executor, std::move(handler), ec, n);
    targets.clear();
    work = asio::any_io_executor();
  }
};

std::pair<MemoryStream, MemoryStream> MemoryStream::MakePair(const executor_type& executor) {
  auto a_to_b = std::make_shared<Pipe>(executor);
  auto b_to_a = std::make_shared<Pipe>(executor);
  return {MemoryStream(executor, b_to_a, a_to_b), MemoryStream(executor, a_to_b, b_to_a)};
}

MemoryStream::MemoryStream(executor_type executor, std::shared_ptr<Pipe> in,
                           std::shared_ptr<Pipe> out)
    : executor_(std::move(executor)), in_(std::move(in)), out_(std::move(out)) {}

MemoryStream::~MemoryStream() {
  if (in_) close();  // a moved-from end has no pipes
}

void MemoryStream::StartRead(std::vector<asio::mutable_buffer> targets, Handler handler) {
  if (!open_) return Complete(executor_, std::move(handler), asio::error::bad_descriptor, 0);
  ONECARD_CHECK(!in_->waiting);  // one read at a time, as on a socket
  in_->targets = std::move(targets);
  in_->waiting.emplace(std::move(handler));
  in_->work = asio::prefer(executor_, asio::execution::outstanding_work.tracked);
  in_->Service();
}

void MemoryStream::StartWrite(const std::vector<asio::const_buffer>& sources, Handler handler) {
  if (!open_) return Complete(executor_, std::move(handler), asio::error::bad_descriptor, 0);
  if (out_->reader_closed)
    return Complete(executor_, std::move(handler), asio::error::broken_pipe, 0);
  size_t total = 0;
  for (const asio::const_buffer& source : sources) {
    const auto* data = static_cast<const uint8_t*>(source.data());
    out_->bytes.insert(out_->bytes.end(), data, data + source.size());
    total += source.size();
  }
  out_->Service();
  Complete(executor_, std::move(handler), {}, total);
}

void MemoryStream::CutAfter(size_t bytes) {
  in_->allowance = bytes;
  in_->stall = false;
  in_->Service();
}

void MemoryStream::StallAfter(size_t bytes) {
  in_->allowance = bytes;
  in_->stall = true;
  in_->Service();
}

void MemoryStream::close() {
  if (!open_) return;
  open_ = false;
  in_->reader_closed = true;
  in_->Service();
  out_->writer_closed = true;
  out_->Service();
}

}  // namespace onecard::net
