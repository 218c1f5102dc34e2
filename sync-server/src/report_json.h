// The JSON form of the reports (reports.h), made here and nowhere else: what `onecard-server
// --json` prints (CLI.md) and exports carry. Members are in the order of the structs' fields
// (ordered_json), except the conflicts report, whose objects list their members by name as it
// always has; a value that is none is null, and suppressed cells say so. Pure, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "onecard/server/report_queries.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// {"area", "as_of", "total", "groups": [{<dimension>: <value>..., "count"}]}, then "moved_out":
// true when counted by hukou, then "total_suppressed": true when the total is. A suppressed cell
// is {..., "count": null, "suppressed": true}.
nlohmann::ordered_json ToJson(const CountsReport& report);

// {"area", "as_of", "total", "groups": [{<dimension>: <value>..., "count", "completed_share",
// "declined_share", "declined_inappropriate_share", "closed_unreached_share"}]}, then
// "total_suppressed": true when the total is, "by": the dimensions, and "from", "to" when given.
// Without --by the dimensions are area, service (the shape before --by, members added). A
// suppressed group has its figures null and "suppressed": true after them.
nlohmann::ordered_json ToJson(const ReferralStatsReport& report);

// {"area", "from", "to", "from_digits", "to_digits", "as_of", "total", "moved_out", "moved_in",
// "groups": [{"from_area", "to_area", "month", "count"}]}; a suppressed figure is null (a cell
// then also has "suppressed": true).
nlohmann::ordered_json ToJson(const FlowsReport& report);

// {"area", "as_of", "rows": [{"area", "category", "estimate", "source", "year", "registered",
// "coverage"}]}; registered and coverage null when registered is suppressed.
nlohmann::ordered_json ToJson(const CoverageReport& report);

// [{"area", "category", "estimate", "source", "year", "set_by", "set_at"}].
nlohmann::ordered_json ToJson(const std::vector<CoverageEstimate>& estimates);

// {"area", "children": [{"child_id", "conflicts": [FieldConflict::ToJson()...], "hukou_area",
// "name", "residence_area"}]}, an unreadable child with "unreadable": true.
nlohmann::json ToJson(const ConflictsReport& report);

// {"child_id", "person_id", "records", "current_record", "hukou_area", "residence_area",
// "moved_out", "residences": [{"at", "child_id", "terminal_id", "residence_area"}],
// "moves": [{"at", "from", "to"}]}.
nlohmann::ordered_json ToJson(const ResidenceHistoryReport& report);

// [{"a", "b", "score", "reasons", "reasons_text", "records": [{"child_id", <field>...}]}], each
// record listing the fields it has.
nlohmann::ordered_json ToJson(const std::vector<ReviewQueueEntry>& queue);

// [{"decision_id", "kind", "a", "b", "score", "reasons", "decided_by", "decided_at"}].
nlohmann::ordered_json ToJson(const std::vector<DecisionLogEntry>& log);

// {"records", "persons", "links", "review", "candidate_pairs", "unreadable"}.
nlohmann::ordered_json ToJson(const IdentityRefreshStats& stats);

}  // namespace onecard::server
