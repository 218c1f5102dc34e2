// GET /api/events: the page follows the desk's event channel (card reads, the reader's state);
// GET /api/reader: the reader's state now, for a page that opens after it changed.

#include "desk_routes.h"

namespace onecard::desk {

void AddEventRoutes(http::Router& router, DeskState& state,
                    std::shared_ptr<http::EventChannel> events) {
  router.Stream("/api/events",
                [&state, events](
                    const http::Request& request) -> Result<std::shared_ptr<http::EventChannel>> {
                  RETURN_IF_ERROR(state.guard.Check(request).status());
                  return events;
                });
  router.Get("/api/reader", Guarded(state, [&state](const http::Request&, const BrowserSession&) {
               return http::JsonResponse(http::StatusCode::ok, state.reader.ToJson());
             }));
}

}  // namespace onecard::desk
