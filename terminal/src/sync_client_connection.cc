#include "sync_client_connection.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "onecard/protocol/frame.h"
#include "onecard/protocol/i18n.h"
#include "sync_client_tls.h"


// GCC 12 reports -Wmismatched-new-delete for Asio's coroutine frames (awaitable_frame_base has
// matching class-specific new/delete; a known false positive, seen with the sanitizer build).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace onecard::terminal {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::awaitable;
using asio::ip::tcp;

namespace {
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kCloseGrace{1'000};
}  // namespace

SyncConnection::SyncConnection(asio::io_context& io, ssl::context& tls, const SyncOptions& options)
    : options_(options), stream_(io, tls), deadline_(io) {}

// When the deadline passes the socket is closed, which completes the pending operation with an
// error that the caller reports as kDeadlineExceeded. The generation counter ignores a firing
// that was already queued when the deadline was re-armed.
void SyncConnection::ArmDeadline(std::chrono::milliseconds timeout) {
  uint64_t generation = ++deadline_generation_;
  deadline_.expires_after(timeout);
  deadline_.async_wait([this, generation](const boost::system::error_code& ec) {
    if (ec || generation != deadline_generation_) return;
    deadline_expired_ = true;
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
  });
}

void SyncConnection::DisarmDeadline() {
  ++deadline_generation_;
  deadline_.cancel();
}

awaitable<Status> SyncConnection::Connect(const std::string& host, uint16_t port) {
  if (host.empty() || port == 0) {
    co_return Status(ErrorCode::kInvalidArgument, Tr("同步服务器地址或端口缺失", "sync server host or port missing"));
  }
  // Server name check: an IP literal must be among the certificate's IP SANs, a name among its
  // DNS SANs. SNI is sent for names only (RFC 6066 forbids literals).
  SSL* ssl_handle = stream_.native_handle();
  boost::system::error_code parse_ec;
  asio::ip::make_address(host, parse_ec);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (!parse_ec) {
    ONECARD_CHECK(X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1);
  } else {
    ONECARD_CHECK(X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1);
    // SSL_set_tlsext_host_name is a macro with a C cast; this is its expansion.
    ONECARD_CHECK(SSL_ctrl(ssl_handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                           const_cast<char*>(host.c_str())) == 1);
  }

  ArmDeadline(options_.connect_timeout);
  tcp::resolver resolver(stream_.get_executor());
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host, std::to_string(port), kAwait);
  if (resolve_ec || deadline_expired_) {
    DisarmDeadline();
    co_return StatusFromAsio(resolve_ec, Tr("解析 ", "resolving ") + host, deadline_expired_);
  }
  auto [connect_ec, connected] = co_await asio::async_connect(stream_.lowest_layer(), endpoints, kAwait);
  if (connect_ec || deadline_expired_) {
    DisarmDeadline();
    co_return StatusFromAsio(connect_ec, Tr("连接 ", "connecting to ") + host + ":" + std::to_string(port),
                             deadline_expired_);
  }
  boost::system::error_code ignored;
  stream_.lowest_layer().set_option(tcp::no_delay(true), ignored);
  auto [handshake_ec] = co_await stream_.async_handshake(ssl::stream_base::client, kAwait);
  DisarmDeadline();
  if (handshake_ec || deadline_expired_) {
    co_return StatusFromAsio(handshake_ec, Tr("TLS 握手", "TLS handshake"), deadline_expired_);
  }
  co_return Status::Ok();
}

awaitable<Result<wire::Envelope>> SyncConnection::Exchange(const wire::Envelope& request) {
  Status sent = co_await Send(request);
  if (!sent.ok()) co_return sent;
  co_return co_await Receive();
}

awaitable<Status> SyncConnection::Send(const wire::Envelope& request) {
  if (EncodedBodySize(request) > options_.max_frame_bytes) {
    co_return Status(ErrorCode::kResourceExhausted, Tr("请求超过帧大小上限", "request exceeds the frame size limit"));
  }
  Bytes frame = EncodeFrame(request);
  ArmDeadline(options_.io_timeout);
  auto [write_ec, written] = co_await asio::async_write(stream_, asio::buffer(frame), kAwait);
  DisarmDeadline();
  if (write_ec || deadline_expired_) co_return StatusFromAsio(write_ec, Tr("发送", "sending"), deadline_expired_);
  co_return Status::Ok();
}

awaitable<Result<wire::Envelope>> SyncConnection::Receive() {
  ArmDeadline(options_.io_timeout);
  Result<wire::Envelope> reply = co_await ReadEnvelope();
  DisarmDeadline();
  if (!reply.ok()) co_return reply.status();
  if (reply->has_error()) co_return StatusFromWireError(reply->error());
  co_return reply;
}

awaitable<Result<wire::Envelope>> SyncConnection::ReadEnvelope() {
  buffer_.resize(kFrameHeaderSize);
  auto [ec, n] = co_await asio::async_read(stream_, asio::buffer(buffer_), kAwait);
  if (ec || deadline_expired_) co_return StatusFromAsio(ec, Tr("接收", "receiving"), deadline_expired_);
  FrameDecodeResult frame = DecodeFrame(buffer_, options_.max_frame_bytes);
  if (frame.state == FrameState::kNeedMore) {
    buffer_.resize(frame.needed);  // bounded: DecodeFrame checked the length against the limit
    auto [body_ec, body_n] = co_await asio::async_read(
        stream_, asio::buffer(buffer_.data() + kFrameHeaderSize, buffer_.size() - kFrameHeaderSize), kAwait);
    if (body_ec || deadline_expired_) co_return StatusFromAsio(body_ec, Tr("接收", "receiving"), deadline_expired_);
    frame = DecodeFrame(buffer_, options_.max_frame_bytes);
  }
  if (frame.state == FrameState::kBad) co_return frame.error;
  ONECARD_CHECK(frame.state == FrameState::kComplete);
  co_return std::move(frame.envelope);
}

awaitable<void> SyncConnection::Close() {
  if (!stream_.lowest_layer().is_open()) co_return;
  ArmDeadline(std::min(kCloseGrace, options_.io_timeout));
  co_await stream_.async_shutdown(kAwait);
  DisarmDeadline();
  boost::system::error_code ignored;
  stream_.lowest_layer().close(ignored);
}

}  // namespace onecard::terminal
