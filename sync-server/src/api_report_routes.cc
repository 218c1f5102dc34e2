// GET /api/v1/counts, /api/v1/flows, /api/v1/coverage, /api/v1/referrals/stats and
// /api/v1/areas, each also as ".csv": the same ReportStore calls and JSON conversion as `counts
// --json`, `counts --flows --json`, `coverage report --json` and `referrals stats --json` without
// --exact, within the account's jurisdiction.

#include "api_routes.h"
#include "coverage.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "report_json.h"

namespace onecard::server {
namespace {

// The area a request asks about: its `area` parameter, else the whole jurisdiction.
std::string RequestedArea(const http::Request& request, const Principal& who) {
  return request.query().Get("area").value_or(who.area_prefix);
}

// 403 when `area` lies outside the account's prefix (an official of 4403 asking about 3213, or
// about all of 44); nullopt when it is within.
std::optional<ApiAnswer> JurisdictionRefusal(const std::string& area, const Principal& who) {
  if (area.starts_with(who.area_prefix)) return std::nullopt;
  return ApiError(http::StatusCode::forbidden, "outside_jurisdiction",
                  "地区 " + area + " 不在本账户的辖区 " + who.area_prefix + " 内",
                  "area " + area + " is outside this account's jurisdiction " + who.area_prefix);
}

// `moved_out`: absent, "0" or "false" is false; "1" or "true" is true; anything else an error.
Result<bool> MovedOutParam(const http::Request& request) {
  std::optional<std::string> value = request.query().Get("moved_out");
  if (!value || *value == "0" || *value == "false") return false;
  if (*value == "1" || *value == "true") return true;
  return Status(ErrorCode::kInvalidArgument,
                Tr("moved_out 应为 1 或 0：" + *value, "moved_out must be 1 or 0: " + *value));
}

// The answer to a report asked: the store's error as the API gives it, else the report's JSON (or
// CSV, a download named `name`.csv) and the number of figures it disclosed, `cells(report)`.
template <typename Report, typename Cells>
ApiAnswer ReportAnswer(const http::Request& request, const Result<Report>& report,
                       CsvRows (*csv)(const Report&), std::string_view name, Cells cells) {
  if (!report.ok()) return ApiError(report.status());
  return ApiAnswer{JsonOrCsv(request, ToJson(*report), csv(*report), name), cells(*report), ""};
}

ApiAnswer CountsRoute(ApiContext& api, const http::Request& request, const Principal& who) {
  CountsQuery query;
  query.area_prefix = RequestedArea(request, who);
  if (auto refusal = JurisdictionRefusal(query.area_prefix, who)) return std::move(*refusal);
  Result<bool> moved_out = MovedOutParam(request);
  if (!moved_out.ok()) return ApiError(moved_out.status());
  query.moved_out = *moved_out;
  if (std::string by = request.query().Get("by").value_or(""); !by.empty()) {
    Result<std::vector<std::string>> dimensions = ParseDimensions(by);
    if (!dimensions.ok()) return ApiError(dimensions.status());
    query.by = std::move(dimensions).value();
  }
  query.exact = false;  // officials always see the protected figures (docs/disclosure-control.md)
  return ReportAnswer(
      request, api.reports.Counts(query), CountsCsv, "counts",
      [](const CountsReport& r) { return static_cast<int64_t>(r.groups.size()) + 1; });
}

// Moves into or out of the area (docs/flows.md): `from` and `to` required, `by` the levels.
ApiAnswer FlowsRoute(ApiContext& api, const http::Request& request, const Principal& who) {
  FlowsQuery query;
  query.area_prefix = RequestedArea(request, who);
  if (auto refusal = JurisdictionRefusal(query.area_prefix, who)) return std::move(*refusal);
  query.from = request.query().Get("from").value_or("");
  query.to = request.query().Get("to").value_or("");
  if (Status levels = ParseFlowLevels(request.query().Get("by").value_or(""), query);
      !levels.ok()) {
    return ApiError(levels);
  }
  query.exact = false;  // officials always see the protected figures (docs/disclosure-control.md)
  // Each group, and the total, moved-out and moved-in figures.
  return ReportAnswer(
      request, api.reports.Flows(query), FlowsCsv, "flows",
      [](const FlowsReport& r) { return static_cast<int64_t>(r.groups.size()) + 3; });
}

// Registered against the estimates of the areas within `area` (coverage.h).
ApiAnswer CoverageRoute(ApiContext& api, const http::Request& request, const Principal& who) {
  const std::string area = RequestedArea(request, who);
  if (auto refusal = JurisdictionRefusal(area, who)) return std::move(*refusal);
  return ReportAnswer(request, ComputeCoverage(api.reports, area, api.clock), CoverageCsv,
                      "coverage",
                      [](const CoverageReport& r) { return static_cast<int64_t>(r.rows.size()); });
}

ApiAnswer ReferralStatsRoute(ApiContext& api, const http::Request& request, const Principal& who) {
  ReferralStatsQuery query;
  query.area_prefix = RequestedArea(request, who);
  query.exact = false;  // officials always see the protected figures (docs/disclosure-control.md)
  if (auto refusal = JurisdictionRefusal(query.area_prefix, who)) return std::move(*refusal);
  Result<std::vector<std::string>> by =
      ParseReferralDimensions(request.query().Get("by").value_or(""));
  if (!by.ok()) return ApiError(by.status());
  query.by = std::move(by).value();
  query.from = request.query().Get("from").value_or("");
  query.to = request.query().Get("to").value_or("");
  return ReportAnswer(
      request, api.reports.ReferralStats(query), ReferralStatsCsv, "referral-stats",
      [](const ReferralStatsReport& r) { return static_cast<int64_t>(r.groups.size()) * 5 + 1; });
}

// Area names are public (GB/T 2260): any signed-in account may list any level.
ApiAnswer AreasRoute(ApiContext& api, const http::Request& request, const Principal&) {
  const std::string parent = request.query().Get("parent").value_or("");
  auto areas = AreasUnder(parent);
  if (!areas) {
    return ApiError(
        http::StatusCode::bad_request, "invalid_argument",
        "parent 应为空或已知省、地市的代码：" + parent,
        "parent must be empty or the code of a known province or prefecture: " + parent);
  }
  const std::string as_of = UtcNowIso8601(api.clock);
  nlohmann::ordered_json json = {
      {"parent", parent}, {"as_of", as_of}, {"areas", nlohmann::ordered_json::array()}};
  for (const auto& [code, name] : *areas) json["areas"].push_back({{"code", code}, {"name", name}});
  json["source"] = "GB/T 2260（国家统计局 2023 年统计用区划代码，截至 2023-06-30）";
  return ApiAnswer{JsonOrCsv(request, json, AreasCsv(*areas, as_of), "areas"), 0, ""};
}

}  // namespace

void AddReportRoutes(http::Router& router, ApiContext& api) {
  using Route = ApiAnswer (*)(ApiContext&, const http::Request&, const Principal&);
  const std::pair<std::string, Route> routes[] = {{"/api/v1/counts", CountsRoute},
                                                  {"/api/v1/flows", FlowsRoute},
                                                  {"/api/v1/coverage", CoverageRoute},
                                                  {"/api/v1/referrals/stats", ReferralStatsRoute},
                                                  {"/api/v1/areas", AreasRoute}};
  for (const auto& [path, route] : routes) {
    for (const std::string& form : {path, path + ".csv"}) {
      router.Get(form, SignedIn(api, [&api, route](const http::Request& r, const Principal& who) {
                   return route(api, r, who);
                 }));
    }
  }
}

}  // namespace onecard::server
