// Area codes (行政区划代码, GB/T 2260) from the table shipped inside the library
// (protocol/data/gbt2260.tsv; source and date in protocol/data/README.md).
//
// The table is parsed once, on first use, behind a function-local static: all functions here are
// thread-safe. A code is six ASCII digits: province "xx0000", prefecture "xxxx00", county "xxxxxx".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onecard {

enum class AreaLevel { kProvince, kPrefecture, kCounty };

// True when `code6` is a code in the shipped table (any level).
bool IsKnownArea(std::string_view code6);
// The Chinese name of a known code ("泗洪县"), or nullopt.
std::optional<std::string> AreaName(std::string_view code6);
// The level a six-digit code has by its shape (trailing "0000" / "00"), known or not; nullopt when
// `code6` is not six ASCII digits or is "000000".
std::optional<AreaLevel> AreaLevelOf(std::string_view code6);
// The known areas one level below `parent`, by code, as {code, name}: "" lists the provinces; a
// province ("44" or "440000") its prefectures; a prefecture ("4403" or "440300") its counties.
// Pure municipalities' and provinces' directly administered counties are listed under their
// prefecture-level code ("110100", "419000"), as the table has them. nullopt when `parent` is not
// "", 2, 4 or 6 digits of a known province or prefecture.
std::optional<std::vector<std::pair<std::string, std::string>>> AreasUnder(std::string_view parent);
// Number of codes in the shipped table.
size_t KnownAreaCount();

// The scope of a site's area code: the code without trailing "00" pairs, so a county site (440306)
// sees its county, a city site (440300) the whole city (4403), a province site (440000) the
// province (44). A code is in the scope when it starts with it.
std::string AreaScopePrefix(const std::string& area);

}  // namespace onecard
