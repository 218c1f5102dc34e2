// The files of net/http/testdata/assets, embedded by onecard_embed_files (generated
// test_assets.cc).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace onecard::http::testing {

const std::vector<std::pair<std::string_view, std::string_view>>& TestAssets();

}  // namespace onecard::http::testing
