// What the officials' and operators' reports are asked (report_store.h): the queries and the
// identity review's commands and refresh figures, shared by every ReportStore backend and its
// callers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "onecard/protocol/status.h"

namespace onecard::server {

// Counts for officials (PRODUCT.md section 11, CLI.md `counts`).
struct CountsQuery {
  std::string area_prefix;  // 2, 4 or 6 digits (any prefix of a code)
  bool moved_out = false;   // hukou in the area, residence elsewhere
  // Dimensions: category, sex, age_band, school_status, school_stage, vaccination, card,
  // hukou_area[:N], residence_area[:N]. Ages and vaccination on the statistics' date: today.
  std::vector<std::string> by;
  bool exact = false;  // true counts, unperturbed (administrators at the server)
  // Who asks: with `exact`, required and recorded in the exact-query audit before the answer.
  std::string requested_by;
};

// The most dimensions one counts question may combine (`--by`), unless exact: every table an
// official may ask is then a table the adversarial test asks (docs/disclosure-control.md).
inline constexpr size_t kMaxCountsDimensions = 3;

// Parses "category,sex,residence_area:4" into dimension names; kInvalidArgument names a bad one.
// Backend-independent (counts.cc).
Result<std::vector<std::string>> ParseDimensions(const std::string& text);

// Flows between areas (issue 13 item 3, `counts --flows`, docs/flows.md): the persons who moved
// (changed residence area) in a period, grouped by from-area, to-area and month, and by hukou area
// when asked.
struct FlowsQuery {
  // 1 to 6 digits: moves out of OR into an area starting with it (an official of 4403 sees the
  // moves into and out of 4403, the other end wherever it is).
  std::string area_prefix;
  std::string from, to;  // YYYY-MM-DD, dates in China, both included
  // The digits of the from- and to-areas the groups show: 2, 4 or 6 (`--by from_area:N,to_area:N`).
  size_t from_digits = 4, to_digits = 4;
  // The digits of the movers' hukou areas the groups show: 2, 4 or 6 (`--by hukou_area:N`); 0, the
  // default: the groups are not split by hukou area.
  size_t hukou_digits = 0;
  bool exact = false;  // true counts, unperturbed (administrators at the server)
  // Who asks: with `exact`, required and recorded in the exact-query audit before the answer.
  std::string requested_by;
};

// Sets query.from_digits, to_digits and hukou_digits from `--by` text: "from_area:N", "to_area:N",
// "residence_area:N" for both (a move is between residence areas), "hukou_area:N", N one of 2, 4,
// 6, comma separated. kInvalidArgument names a bad one.
Status ParseFlowLevels(const std::string& text, FlowsQuery& query);

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

// An administrator's estimate of the children an area should have (PRODUCT.md section 11,
// `coverage set`), against which coverage = registered ÷ estimate is reported.
struct CoverageEstimate {
  std::string area;      // 2, 4 or 6 digits: a province, prefecture or county
  std::string category;  // "migrant", "left_behind" or "all"
  int64_t estimate = 0;  // at least 1
  std::string source;    // where it comes from: a census, a survey
  int year = 0;          // the year it is of
  std::string set_by;    // who set it (the operating-system user at the server)
  std::string set_at;    // when, "2026-06-01T08:00:00Z"; set by the store
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
  bool refreshed = false;     // false when the grouping was already current
  std::size_t records = 0;    // records indexed: changed since the last refresh (all: a rebuild)
  std::size_t regrouped = 0;  // records whose grouping was computed again (with repeats)
  // Children left out: merged states read this time that could not be parsed (records without
  // the fields identity needs stay in identity_records, alone).
  std::size_t unreadable = 0;
  std::size_t steps = 0;            // transactions the refresh took (identity_refresh_step.h)
  double seconds = 0;               // wall-clock, all steps
  double longest_step_seconds = 0;  // the longest the store was held by one step
  // The grouping afterwards (filled by RefreshIdentities for its report, not by each step):
  std::size_t persons = 0;  // persons of two or more records
  std::size_t links = 0;
  std::size_t review = 0;
};

// A supervisor's decision on two children's records.
enum class IdentityCommand { kMerge, kSeparate, kUnmerge };

}  // namespace onecard::server
