// A TCP proxy on a free loopback port that forwards to 127.0.0.1:`upstream_port` and cuts the
// connection after a set number of bytes from upstream (the server's direction), for tests of
// "the network went away in the middle of a reply". One connection at a time; the limit applies
// to each connection and may be changed between connections.
//
// Thread-safety: the proxy runs its own thread; set_cut_after() and bytes_forwarded() may be
// called from any thread. The destructor stops the thread and closes every socket.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>

namespace onecard::testing {

class CuttingProxy {
 public:
  static constexpr uint64_t kNoCut = std::numeric_limits<uint64_t>::max();

  explicit CuttingProxy(int upstream_port);
  ~CuttingProxy();
  CuttingProxy(const CuttingProxy&) = delete;
  CuttingProxy& operator=(const CuttingProxy&) = delete;

  int port() const { return port_; }
  // Connections accepted from now on are cut (both directions closed) once `bytes` bytes from
  // upstream were forwarded to the client. kNoCut forwards everything.
  void set_cut_after(uint64_t bytes) { cut_after_ = bytes; }
  // Bytes forwarded from upstream on the current (or last) connection.
  uint64_t bytes_forwarded() const { return forwarded_; }
  // Connections that were cut by the limit.
  uint64_t cuts() const { return cuts_; }

 private:
  void Serve();
  void Relay(int client, int upstream);

  int upstream_port_;
  int listener_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};  // a pipe: writing to it ends the proxy thread
  std::atomic<uint64_t> cut_after_{kNoCut};
  std::atomic<uint64_t> forwarded_{0};
  std::atomic<uint64_t> cuts_{0};
  std::thread thread_;
};

}  // namespace onecard::testing
