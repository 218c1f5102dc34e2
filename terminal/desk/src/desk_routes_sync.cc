// GET /api/sync: the sync bar's state; POST /api/sync: a sync now (desk_sync.h).

#include "desk_routes.h"

namespace onecard::desk {

void AddSyncRoutes(http::Router& router, DeskState& state) {
  router.Get("/api/sync", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(Result<nlohmann::json>(state.sync.State()));
             }));
  router.Post("/api/sync", Guarded(state, [&state](const http::Request&, const auto&) {
                return JsonOrError(state.sync.RunNow());
              }));
}

}  // namespace onecard::desk
