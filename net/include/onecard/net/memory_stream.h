// An in-memory connection for tests: two MemoryStream ends, each an AsyncReadStream and
// AsyncWriteStream on the executor given, where what one end writes the other reads. Faults can be
// injected into what an end receives: the connection ends (CutAfter) or stalls (StallAfter) after
// a chosen number of bytes, so a test can check every byte boundary of a frame.
//
// Contract (as for a socket): at most one read and one write pending per end; completions are
// posted to the executor, never run inside the initiating call. Writes complete at once (the pipe
// is unbounded). Not thread-safe: use from the executor's one thread.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace onecard::net {

class MemoryStream {
 public:
  using executor_type = boost::asio::any_io_executor;
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;

  // Two connected ends.
  static std::pair<MemoryStream, MemoryStream> MakePair(const executor_type& executor);

  MemoryStream(MemoryStream&&) noexcept = default;
  MemoryStream& operator=(MemoryStream&&) = delete;
  ~MemoryStream();  // closes this end

  executor_type get_executor() const { return executor_; }

  template <typename MutableBufferSequence, typename Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, std::vector<boost::asio::mutable_buffer> targets) {
          StartRead(std::move(targets), Handler(std::move(handler)));
        },
        token,
        std::vector<boost::asio::mutable_buffer>(boost::asio::buffer_sequence_begin(buffers),
                                                 boost::asio::buffer_sequence_end(buffers)));
  }

  template <typename ConstBufferSequence, typename Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, std::vector<boost::asio::const_buffer> sources) {
          StartWrite(sources, Handler(std::move(handler)));
        },
        token,
        std::vector<boost::asio::const_buffer>(boost::asio::buffer_sequence_begin(buffers),
                                               boost::asio::buffer_sequence_end(buffers)));
  }

  // After `bytes` more bytes have been delivered to this end, its reads end with
  // asio::error::eof, as if the peer's connection had been cut.
  void CutAfter(size_t bytes);
  // After `bytes` more bytes have been delivered to this end, nothing more is: a read waits until
  // close() (as a stalled peer's would until its deadline closes the socket).
  void StallAfter(size_t bytes);
  // Closes this end: its pending read completes with asio::error::operation_aborted, later
  // operations fail with bad_descriptor, and the peer reads end of stream after what was written.
  void close();
  bool is_open() const { return open_; }

 private:
  struct Pipe;
  MemoryStream(executor_type executor, std::shared_ptr<Pipe> in, std::shared_ptr<Pipe> out);
  void StartRead(std::vector<boost::asio::mutable_buffer> targets, Handler handler);
  void StartWrite(const std::vector<boost::asio::const_buffer>& sources, Handler handler);

  executor_type executor_;
  std::shared_ptr<Pipe> in_;   // what this end reads
  std::shared_ptr<Pipe> out_;  // what this end writes: the peer's `in_`
  bool open_ = true;
};

}  // namespace onecard::net
