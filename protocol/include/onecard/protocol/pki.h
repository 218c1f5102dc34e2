// X.509 certificates for OneCard's own public-key infrastructure, over OpenSSL 3.
//
// The server runs its own certificate authority: a self-signed CA certificate whose key stays on
// the server. Enrolling a terminal issues it a certificate (CN = terminal id, clientAuth); the
// server has one too (CN "onecard-server", serverAuth, SANs for the names terminals dial). All
// keys are ECDSA P-256 (EcKey from crypto.h); certificates are signed with ECDSA-SHA256 and are
// exchanged as PEM text. Nothing here touches files or the network.
//
// Thread-safety: all functions are reentrant; they share no state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"

namespace onecard {

// Self-signed CA certificate (PEM): basicConstraints CA:TRUE (critical), keyUsage keyCertSign and
// cRLSign (critical), subject key identifier, random 128-bit serial, valid from one hour ago (clock
// skew between machines) for `valid_days`. Precondition: ca_key.has_private(), valid_days > 0.
// OpenSSL failing here means a broken installation, so it aborts instead of returning an error.
std::string CreateCaCertificate(const EcKey& ca_key, const std::string& common_name,
                                int valid_days);

struct CertificateProfile {
  std::string common_name;                // terminals: the terminal id; server: "onecard-server"
  std::vector<std::string> dns_names;     // subjectAltName DNS
  std::vector<std::string> ip_addresses;  // subjectAltName IP (IPv4 or IPv6 text form)
  bool for_server = false;                // extendedKeyUsage serverAuth
  bool for_client = false;                // extendedKeyUsage clientAuth
  int valid_days = 825;
};

// Issues an end-entity certificate for subject_key's public key, signed by ca_key, with issuer
// taken from ca_cert_pem: basicConstraints CA:FALSE (critical), keyUsage digitalSignature
// (critical), the extended key usages and SANs of `profile`, SKI and AKI, random 128-bit serial.
// Errors: kInvalidArgument when ca_cert_pem does not parse, ca_key does not match it, the CN is
// empty or longer than 64 bytes, an IP address does not parse, or valid_days <= 0.
// Precondition: ca_key.has_private(); subject_key.valid().
Result<std::string> IssueCertificate(const EcKey& ca_key, std::string_view ca_cert_pem,
                                     const EcKey& subject_key, const CertificateProfile& profile);

// The subject common name of a PEM certificate. kInvalidArgument when the PEM does not parse or
// the subject has no CN.
Result<std::string> CertificateCommonName(std::string_view cert_pem);

// The public key of a PEM certificate (kInvalidArgument when unparsable or not an EC key).
Result<EcKey> CertificatePublicKey(std::string_view cert_pem);

// Verifies with X509_verify_cert that cert_pem chains to ca_cert_pem (the only trust anchor), is
// within its validity period now, and — when purpose is not kAny — carries the matching extended
// key usage. kUnauthenticated with OpenSSL's reason when it does not; kInvalidArgument when either
// PEM does not parse.
enum class CertificatePurpose { kAny, kServer, kClient };
Status VerifyCertificate(std::string_view ca_cert_pem, std::string_view cert_pem,
                         CertificatePurpose purpose = CertificatePurpose::kAny);

}  // namespace onecard
