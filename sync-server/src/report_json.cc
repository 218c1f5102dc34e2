#include "report_json.h"

#include <optional>

namespace onecard::server {
namespace {

using nlohmann::ordered_json;

// A value that may be none: null then.
template <typename T>
ordered_json OrNull(const std::optional<T>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json CellJson(const std::vector<std::string>& dimensions, const CountsCell& cell) {
  ordered_json out = ordered_json::object();
  for (size_t i = 0; i < dimensions.size() && i < cell.values.size(); ++i) {
    out[dimensions[i]] = cell.values[i];
  }
  out["count"] = OrNull(cell.count);
  if (!cell.count) out["suppressed"] = true;
  return out;
}

ordered_json GroupJson(const std::vector<std::string>& dimensions,
                       const ReferralStatsGroup& group) {
  ordered_json out = ordered_json::object();
  for (size_t i = 0; i < dimensions.size() && i < group.values.size(); ++i) {
    out[dimensions[i]] = group.values[i];
  }
  out["count"] = OrNull(group.count);
  out["completed_share"] = OrNull(group.completed_share);
  out["declined_share"] = OrNull(group.declined_share);
  out["declined_inappropriate_share"] = OrNull(group.declined_inappropriate_share);
  out["closed_unreached_share"] = OrNull(group.closed_unreached_share);
  if (!group.count) out["suppressed"] = true;
  return out;
}

// An area's estimate, as a coverage row and the estimates' list begin.
ordered_json EstimateJson(const std::string& area, const std::string& category, int64_t estimate,
                          const std::string& source, int year) {
  return {{"area", area},
          {"category", category},
          {"estimate", estimate},
          {"source", source},
          {"year", year}};
}

nlohmann::json ConflictedChildJson(const ConflictedChild& child) {
  nlohmann::json conflicts = nlohmann::json::array();
  for (const FieldConflict& c : child.conflicts) conflicts.push_back(c.ToJson());
  nlohmann::json out = {{"child_id", child.child_id},
                        {"name", child.name ? *child.name : nlohmann::json()},
                        {"residence_area", child.residence_area},
                        {"hukou_area", child.hukou_area},
                        {"conflicts", std::move(conflicts)}};
  if (child.unreadable) out["unreadable"] = true;
  return out;
}

ordered_json ReviewRecordJson(const ReviewRecord& record) {
  ordered_json out = {{"child_id", record.child_id}};
  const auto put = [&out](const char* name, const std::optional<RecordValue>& value) {
    if (value) out[name] = ordered_json(*value);
  };
  put("name", record.name);
  put("sex", record.sex);
  put("birth_date", record.birth_date);
  put("id_number", record.id_number);
  put("hukou_area", record.hukou_area);
  put("residence_area", record.residence_area);
  put("card_serial", record.card_serial);
  return out;
}

}  // namespace

ordered_json ToJson(const CountsReport& report) {
  ordered_json groups = ordered_json::array();
  for (const CountsCell& cell : report.groups) groups.push_back(CellJson(report.dimensions, cell));
  ordered_json out = {{"area", report.area},
                      {"as_of", report.as_of},
                      {"total", OrNull(report.total)},
                      {"groups", std::move(groups)}};
  if (report.moved_out) out["moved_out"] = true;
  if (!report.total) out["total_suppressed"] = true;
  return out;
}

ordered_json ToJson(const ReferralStatsReport& report) {
  ordered_json groups = ordered_json::array();
  for (const ReferralStatsGroup& group : report.groups) {
    groups.push_back(GroupJson(report.dimensions, group));
  }
  ordered_json out = {{"area", report.area},
                      {"as_of", report.as_of},
                      {"total", OrNull(report.total)},
                      {"groups", std::move(groups)}};
  if (!report.total) out["total_suppressed"] = true;
  out["by"] = report.dimensions;
  if (!report.from.empty()) out["from"] = report.from;
  if (!report.to.empty()) out["to"] = report.to;
  return out;
}

// The hukou area is shown only when the query grouped by it (hukou_digits > 0).
ordered_json ToJson(const FlowsReport& report) {
  const bool by_hukou = report.hukou_digits > 0;
  ordered_json groups = ordered_json::array();
  for (const FlowsCell& cell : report.groups) {
    ordered_json g = {{"from_area", cell.from}, {"to_area", cell.to}};
    if (by_hukou) g["hukou_area"] = cell.hukou;
    g["month"] = cell.month;
    g["count"] = OrNull(cell.count);
    if (!cell.count) g["suppressed"] = true;
    groups.push_back(std::move(g));
  }
  ordered_json out = {{"area", report.area},
                      {"from", report.from},
                      {"to", report.to},
                      {"from_digits", report.from_digits},
                      {"to_digits", report.to_digits}};
  if (by_hukou) out["hukou_digits"] = report.hukou_digits;
  out["as_of"] = report.as_of;
  out["total"] = OrNull(report.total);
  out["moved_out"] = OrNull(report.moved_out);
  out["moved_in"] = OrNull(report.moved_in);
  out["groups"] = std::move(groups);
  return out;
}

ordered_json ToJson(const CoverageReport& report) {
  ordered_json rows = ordered_json::array();
  for (const CoverageRow& row : report.rows) {
    ordered_json out = EstimateJson(row.area, row.category, row.estimate, row.source, row.year);
    out["registered"] = OrNull(row.registered);
    out["coverage"] = OrNull(row.coverage);
    rows.push_back(std::move(out));
  }
  return {{"area", report.area}, {"as_of", report.as_of}, {"rows", std::move(rows)}};
}

ordered_json ToJson(const std::vector<CoverageEstimate>& estimates) {
  ordered_json out = ordered_json::array();
  for (const CoverageEstimate& e : estimates) {
    ordered_json estimate = EstimateJson(e.area, e.category, e.estimate, e.source, e.year);
    estimate["set_by"] = e.set_by;
    estimate["set_at"] = e.set_at;
    out.push_back(std::move(estimate));
  }
  return out;
}

nlohmann::json ToJson(const ConflictsReport& report) {
  nlohmann::json children = nlohmann::json::array();
  for (const ConflictedChild& child : report.children) {
    children.push_back(ConflictedChildJson(child));
  }
  return {{"area", report.area}, {"children", std::move(children)}};
}

ordered_json ToJson(const ResidenceHistoryReport& report) {
  ordered_json residences = ordered_json::array();
  for (const ResidenceChange& r : report.residences) {
    residences.push_back({{"at", r.at},
                          {"child_id", r.child_id},
                          {"terminal_id", r.terminal_id},
                          {"residence_area", r.residence_area}});
  }
  ordered_json moves = ordered_json::array();
  for (const ResidenceMove& m : report.moves) {
    moves.push_back({{"at", m.at}, {"from", m.from}, {"to", m.to}});
  }
  return {{"child_id", report.child_id},     {"person_id", report.person_id},
          {"records", report.records},       {"current_record", report.current_record},
          {"hukou_area", report.hukou_area}, {"residence_area", report.residence_area},
          {"moved_out", report.moved_out},   {"residences", std::move(residences)},
          {"moves", std::move(moves)}};
}

ordered_json ToJson(const std::vector<ReviewQueueEntry>& queue) {
  ordered_json out = ordered_json::array();
  for (const ReviewQueueEntry& e : queue) {
    out.push_back({{"a", e.a},
                   {"b", e.b},
                   {"score", OrNull(e.score)},
                   {"reasons", e.reasons},
                   {"reasons_text", e.reasons_text},
                   {"records", {ReviewRecordJson(e.records[0]), ReviewRecordJson(e.records[1])}}});
  }
  return out;
}

ordered_json ToJson(const std::vector<DecisionLogEntry>& log) {
  ordered_json out = ordered_json::array();
  for (const DecisionLogEntry& d : log) {
    out.push_back({{"decision_id", d.decision_id},
                   {"kind", d.kind},
                   {"a", d.a},
                   {"b", d.b},
                   {"score", OrNull(d.score)},
                   {"reasons", d.reasons},
                   {"decided_by", d.decided_by},
                   {"decided_at", d.decided_at},
                   {"superseded", d.superseded}});
  }
  return out;
}

ordered_json ToJson(const IdentityRefreshStats& stats) {
  return {{"records", stats.records},
          {"persons", stats.persons},
          {"links", stats.links},
          {"review", stats.review},
          {"unreadable", stats.unreadable},
          {"regrouped", stats.regrouped},
          {"steps", stats.steps},
          {"seconds", stats.seconds},
          {"longest_step_seconds", stats.longest_step_seconds}};
}

}  // namespace onecard::server
