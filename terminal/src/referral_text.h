// Human-readable rendering of referrals for the terminal's screen.
#pragma once

#include <string>
#include <vector>

#include "onecard/protocol/referral.h"

namespace onecard::terminal {

// One line per referral: id, child, service, from -> to, status (and outcome), reason; in the
// user's language. A line saying there are none when `referrals` is empty.
std::string ReferralsText(const std::vector<Referral>& referrals);

// The words of a referral's service code, status, and decline reason code ("家庭拒绝"), in the
// user's language; an unknown code as it is.
std::string ServiceWord(const std::string& code);
std::string ReferralStatusWord(ReferralStatus status);
std::string DeclineReasonWord(const std::string& code);

}  // namespace onecard::terminal
