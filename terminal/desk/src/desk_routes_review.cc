// The supervisors' review at the desk, as `conflicts list|resolve` and `review list|merge|separate|
// unmerge` at the command line (docs/identity-server.md, "Review at terminals"; protocol/docs/
// merge.md):
//   GET  /api/conflicts                       [{child_id, name, conflicts: [{field, winner,
//                                             others}]}], each value {value, stamp, terminal_id,
//                                             at}
//   POST /api/children/{id}/conflicts/resolve {field, value_from: "TERMINAL" or "TERMINAL:SEQ"}
//                                             -> {record}: the record with the value chosen
//   GET  /api/review                          [{a, b, score, reasons, reasons_text, records}]
//   POST /api/review/{a}/{b}/merge|separate|unmerge   the decision -> the pairs left

#include "desk_routes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_score.h"
#include "onecard/terminal/child_page.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using terminal::StaffAction;
using terminal::TerminalStore;

Result<json> Resolve(DeskState& state, const http::Request& request) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string field, TextMember(body, "field", 200));
  ASSIGN_OR_RETURN(std::string value_from, TextMember(body, "value_from", 200));
  if (field.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请指明字段", "name the field"))
        .WithField("field");
  }
  if (value_from.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请选择要保留的值", "choose the value to keep"))
        .WithField("value_from");
  }
  return state.store.With(StaffAction::kResolveConflict, [&](TerminalStore& store) -> Result<json> {
    ASSIGN_OR_RETURN(json record,
                     store.conflicts().Resolve(request.Param("id"), field, value_from));
    return json{{"record", terminal::PublicRecord(std::move(record))}};
  });
}

Result<json> ReviewPairs(TerminalStore& store) {
  ASSIGN_OR_RETURN(std::vector<terminal::IdentityReviewPair> pairs, store.identity().ListReview());
  json out = json::array();
  for (const terminal::IdentityReviewPair& p : pairs) {
    json reasons = json::array();
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
      if ((p.reasons & bit) != 0) reasons.push_back(DescribeIdentityReasons(bit));
    }
    out.push_back({{"a", p.a},
                   {"b", p.b},
                   {"score", p.score},
                   {"reasons", std::move(reasons)},
                   {"reasons_text", DescribeIdentityReasons(p.reasons)},
                   {"records", {p.record_a, p.record_b}}});
  }
  return out;
}

Result<json> Decide(DeskState& state, const http::Request& request, const std::string& decision) {
  return state.store.With(StaffAction::kIdentityReview, [&](TerminalStore& store) -> Result<json> {
    RETURN_IF_ERROR(store.identity().Decide(decision, request.Param("a"), request.Param("b")));
    return ReviewPairs(store);
  });
}

}  // namespace

void AddReviewRoutes(http::Router& router, DeskState& state) {
  router.Get("/api/conflicts", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(
                   state.store.With(StaffAction::kResolveConflict,
                                    [](TerminalStore& store) { return store.conflicts().List(); }));
             }));
  router.Post("/api/children/{id}/conflicts/resolve",
              Guarded(state, [&state](const http::Request& r, const auto&) {
                return JsonOrError(Resolve(state, r));
              }));
  router.Get("/api/review", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(state.store.With(StaffAction::kIdentityReview, ReviewPairs));
             }));
  for (const char* decision : {"merge", "separate", "unmerge"}) {
    router.Post(std::string("/api/review/{a}/{b}/") + decision,
                Guarded(state, [&state, decision](const http::Request& r, const auto&) {
                  return JsonOrError(Decide(state, r, decision));
                }));
  }
}

}  // namespace onecard::desk
