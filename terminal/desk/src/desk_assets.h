// The desk's pages (terminal/desk/web/), embedded in the program at build time: the desk works
// offline and fetches nothing from elsewhere.
#pragma once

#include "onecard/http/router.h"

namespace onecard::desk {

// GET / (index.html) and every file of web/ by its path ("/js/app.js"). The files are public: the
// data comes only from the API, which checks the session.
void AddDeskAssetRoutes(http::Router& router);

}  // namespace onecard::desk
