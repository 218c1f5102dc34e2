#include "sync_client_connection.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "onecard/net/asio_status.h"
#include "onecard/net/framed_stream.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/i18n.h"

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

Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what,
                      bool deadline_expired) {
  return net::StatusFromAsio(ec, what, net::Side::kTerminal, deadline_expired);
}
}  // namespace

SyncConnection::SyncConnection(asio::io_context& io, ssl::context& tls, const SyncOptions& options)
    : options_(options), stream_(io, tls), deadline_(io.get_executor(), [this] {
        boost::system::error_code ignored;
        stream_.lowest_layer().close(ignored);
      }) {}

awaitable<Status> SyncConnection::Connect(const std::string& host, uint16_t port) {
  if (host.empty() || port == 0) {
    co_return Status(ErrorCode::kInvalidArgument,
                     Tr("同步服务器地址或端口缺失", "sync server host or port missing"));
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

  deadline_.Arm(options_.connect_timeout);
  tcp::resolver resolver(stream_.get_executor());
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(host, std::to_string(port), kAwait);
  if (resolve_ec || deadline_.expired()) {
    deadline_.Disarm();
    co_return StatusFromAsio(resolve_ec, Tr("解析 ", "resolving ") + host, deadline_.expired());
  }
  auto [connect_ec, connected] =
      co_await asio::async_connect(stream_.lowest_layer(), endpoints, kAwait);
  if (connect_ec || deadline_.expired()) {
    deadline_.Disarm();
    co_return StatusFromAsio(connect_ec,
                             Tr("连接 ", "connecting to ") + host + ":" + std::to_string(port),
                             deadline_.expired());
  }
  boost::system::error_code ignored;
  stream_.lowest_layer().set_option(tcp::no_delay(true), ignored);
  auto [handshake_ec] = co_await stream_.async_handshake(ssl::stream_base::client, kAwait);
  deadline_.Disarm();
  if (handshake_ec || deadline_.expired()) {
    co_return StatusFromAsio(handshake_ec, Tr("TLS 握手", "TLS handshake"), deadline_.expired());
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
    co_return Status(ErrorCode::kResourceExhausted,
                     Tr("请求超过帧大小上限", "request exceeds the frame size limit"));
  }
  deadline_.Arm(options_.io_timeout);
  boost::system::error_code write_ec = co_await net::WriteFrame(stream_, request);
  deadline_.Disarm();
  if (write_ec || deadline_.expired())
    co_return StatusFromAsio(write_ec, Tr("发送", "sending"), deadline_.expired());
  co_return Status::Ok();
}

awaitable<Result<wire::Envelope>> SyncConnection::Receive() {
  deadline_.Arm(options_.io_timeout);
  Result<wire::Envelope> reply = co_await ReadEnvelope();
  deadline_.Disarm();
  if (!reply.ok()) co_return reply.status();
  if (reply->has_error()) co_return StatusFromWireError(reply->error());
  co_return reply;
}

// Every way a read can fail is reported as before the shared reader existed: a stream error (a
// cut at any byte) or the deadline as the connection's Status, a refused frame with its reason.
awaitable<Result<wire::Envelope>> SyncConnection::ReadEnvelope() {
  net::FrameRead read = co_await net::ReadFrame(stream_, buffer_, options_.max_frame_bytes);
  if (read.kind == net::FrameRead::Kind::kEnded || deadline_.expired()) {
    co_return StatusFromAsio(read.error, Tr("接收", "receiving"), deadline_.expired());
  }
  if (read.kind == net::FrameRead::Kind::kRefused) co_return read.refusal;
  co_return std::move(read.envelope);
}

awaitable<void> SyncConnection::Close() {
  if (!stream_.lowest_layer().is_open()) co_return;
  deadline_.Arm(std::min(kCloseGrace, options_.io_timeout));
  co_await stream_.async_shutdown(kAwait);
  deadline_.Disarm();
  boost::system::error_code ignored;
  stream_.lowest_layer().close(ignored);
}

}  // namespace onecard::terminal
