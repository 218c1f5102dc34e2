#include "cutting_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace onecard::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Writes all of `data`; false when the peer is gone.
bool SendAll(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void NoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

CuttingProxy::CuttingProxy(int upstream_port) : upstream_port_(upstream_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::pipe(wake_) != 0) {
    throw std::runtime_error("CuttingProxy: cannot listen on loopback");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

CuttingProxy::~CuttingProxy() {
  uint8_t byte = 1;
  if (::write(wake_[1], &byte, 1) != 1) {
    // The pipe cannot be full with one byte in it; nothing else to do.
  }
  thread_.join();
  ::close(listener_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void CuttingProxy::Serve() {
  for (;;) {
    std::array<pollfd, 2> fds{{{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[1].revents != 0) return;
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = Loopback(upstream_port_);
    if (upstream < 0 || ::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      if (upstream >= 0) ::close(upstream);
      ::close(client);
      continue;
    }
    NoDelay(client);
    NoDelay(upstream);
    Relay(client, upstream);
    ::close(client);
    ::close(upstream);
  }
}

void CuttingProxy::Relay(int client, int upstream) {
  const uint64_t limit = cut_after_;
  forwarded_ = 0;
  std::array<uint8_t, 16 * 1024> buffer;
  for (;;) {
    std::array<pollfd, 3> fds{{{client, POLLIN, 0}, {upstream, POLLIN, 0}, {wake_[0], POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[2].revents != 0) return;  // the proxy is stopping (the pipe stays readable for Serve)
    if (fds[0].revents != 0) {
      ssize_t n = ::recv(client, buffer.data(), buffer.size(), 0);
      if (n <= 0 || !SendAll(upstream, buffer.data(), static_cast<size_t>(n))) return;
    }
    if (fds[1].revents != 0) {
      ssize_t n = ::recv(upstream, buffer.data(), buffer.size(), 0);
      if (n <= 0) return;
      uint64_t allowed = std::min<uint64_t>(static_cast<uint64_t>(n), limit - forwarded_);
      if (!SendAll(client, buffer.data(), static_cast<size_t>(allowed))) return;
      forwarded_ += allowed;
      if (forwarded_ >= limit) {
        ++cuts_;
        return;
      }
    }
  }
}

}  // namespace onecard::testing
