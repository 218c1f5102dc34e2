// The officials' dashboard (docs/dashboard.md): the files of sync-server/dashboard/ and ECharts
// (node_modules/echarts/dist/echarts.min.js, pinned in package-lock.json), embedded in the program
// at build time, so the server works offline and fetches nothing from elsewhere.
#pragma once

#include "onecard/http/router.h"

namespace onecard::server {

// Registers GET / (index.html) and every dashboard file under /dashboard/ ("/dashboard/js/app.js",
// ECharts as "/dashboard/vendor/echarts.min.js"). No file path collides with /api/v1/..., so the
// API's routes are untouched. The files are public: the data comes only from the API, which
// checks the session.
void AddDashboardRoutes(http::Router& router);

}  // namespace onecard::server
