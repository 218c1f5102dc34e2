// What the officials' and operators' reports are asked (report_store.h): the queries and the
// identity review's commands and refresh figures, shared by every ReportStore backend and its
// callers.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "onecard/protocol/status.h"

namespace onecard::server {

// Counts for officials (PRODUCT.md section 11, CLI.md `counts`).
struct CountsQuery {
  std::string area_prefix;      // 2, 4 or 6 digits (any prefix of a code)
  bool moved_out = false;       // hukou in the area, residence elsewhere
  std::vector<std::string> by;  // dimensions: category, sex, age_band, school_status,
                                // hukou_area[:N], residence_area[:N]
  bool exact = false;           // true counts, unperturbed (administrators at the server)
  std::string today;            // YYYY-MM-DD for ages (China time); empty: today
  // Who asks: with `exact`, required and recorded in the exact-query audit before the answer.
  std::string requested_by;
};

// The most dimensions one counts question may combine (`--by`), unless exact: every table an
// official may ask is then a table the adversarial test asks (docs/disclosure-control.md).
inline constexpr size_t kMaxCountsDimensions = 3;

// Parses "category,sex,residence_area:4" into dimension names; kInvalidArgument names a bad one.
// Backend-independent (counts.cc).
Result<std::vector<std::string>> ParseDimensions(const std::string& text);

// Referral outcomes for officials (PRODUCT.md sections 10 and 11, `referrals stats`).
struct ReferralStatsQuery {
  std::string area_prefix;  // 1 to 6 digits: referrals made by sites whose area starts with it
  bool exact = false;       // true counts and shares, unperturbed (administrators at the server)
  // Who asks: with `exact`, required and recorded in the exact-query audit before the answer.
  std::string requested_by;
  // The groups' dimensions (ParseReferralDimensions); empty: area, service (the grouping
  // `referrals stats` had before --by).
  std::vector<std::string> by{};
  // The referrals created (in China's calendar) from `from` to `to`, both included, YYYY-MM-DD;
  // "" leaves that end open.
  std::string from{}, to{};
};

// The dimensions referral outcomes may be grouped by: "area" (the referring site's 6-digit code),
// "service", "sex" (the referred child's) and "period" (the month of creation, YYYY-MM, in China).
// Every combination may be asked: each group is protected like a counts cell.
inline const std::vector<std::string> kReferralDimensions = {"area", "service", "sex", "period"};

// Parses "service,sex,period" into dimension names, each once, in their first place;
// kInvalidArgument names a bad one and lists the good ones. Backend-independent
// (referral_stats_query.cc).
Result<std::vector<std::string>> ParseReferralDimensions(const std::string& text);

// What a refresh of the identity grouping did (docs/identity-server.md).
struct IdentityRefreshStats {
  bool refreshed = false;   // false when the grouping was already current
  std::size_t records = 0;  // children resolved
  std::size_t persons = 0;  // persons of two or more records
  std::size_t links = 0;
  std::size_t review = 0;
  std::size_t candidate_pairs = 0;
  // Children left out: merged states read this time that could not be parsed, and records
  // without the fields identity needs (name, sex, birth date, hukou area).
  std::size_t unreadable = 0;
  // Wall-clock seconds of the phases: reading and converting the children, resolving and
  // grouping, writing the grouping and the log.
  double read_seconds = 0, resolve_seconds = 0, write_seconds = 0;
};

// A supervisor's decision on two children's records.
enum class IdentityCommand { kMerge, kSeparate, kUnmerge };

}  // namespace onecard::server
