// Erasure of a child's personal data (PRODUCT.md section 13; protocol/docs/sync.md, "Erasure").
// An erasure travels as the child's id and a reason code, never with anything personal; the
// reasons are these:
//   consent_withdrawn    撤回同意      the guardian withdrew consent
//   registered_in_error  登记错误      the child was registered in error
//   order                依法要求删除  a court or an authority ordered the record erased
//   aged_out             年满18岁      the retention period after the child turned 18 ended (the
//                                      server's own daily job; a person cannot give it)
//
// Pure; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "onecard/protocol/status.h"

namespace onecard {

struct ErasureReason {
  std::string_view code;  // as on the wire, e.g. "consent_withdrawn"
  std::string_view zh;
  std::string_view en;
  bool given_by_person = true;  // false: only the server's retention job erases for it
};

inline constexpr std::string_view kErasureAgedOut = "aged_out";

// Every reason, in the order above.
std::span<const ErasureReason> ErasureReasons();

// The reason of `code`; nullptr when there is none.
const ErasureReason* FindErasureReason(std::string_view code);

// Ok when `code` is a reason a person may give (a supervisor or an administrator); else
// kInvalidArgument naming the code and the reasons there are.
Status CheckGivenErasureReason(std::string_view code);

// The reasons a person may give with their names, "consent_withdrawn 撤回同意, ..." (in Chinese
// when `zh`, else in English): for help texts and messages.
std::string GivenErasureReasons(bool zh);

// The reason in the user's language (i18n.h); the code itself when it is not known.
std::string ErasureReasonText(std::string_view code);

}  // namespace onecard
