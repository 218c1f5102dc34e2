// A throwaway PKI for tests: a CA and a server certificate for "localhost" / 127.0.0.1, made with
// OneCard's own PKI functions. Test-only.
#pragma once

#include <string>

namespace onecard::http::testing {

struct TestPki {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
};

// A fresh PKI (new keys each call). Aborts if OpenSSL fails (a broken test environment).
TestPki MakeTestPki();

}  // namespace onecard::http::testing
