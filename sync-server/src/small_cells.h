// Small-cell suppression of the officials' aggregates (PRODUCT.md section 11): a count of 1 to 4
// could point at a child, so counts and referral statistics hide it, unless an administrator at
// the server asks for exact figures. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace onecard::server {

// Counts from 1 to kSmallCell - 1 are hidden.
inline constexpr int64_t kSmallCell = 5;

// Whether a count is hidden: 1 to 4 (none is not small: it points at nobody).
inline bool IsSmallCount(int64_t count) { return count > 0 && count < kSmallCell; }

// The indexes of the cells of one table (`counts`, in the table's order) to hide: the small ones
// and, when exactly one of several is small, also the smallest other (the first of equals), since a
// lone hidden cell equals the total minus the visible ones. Ascending.
std::vector<size_t> CellsToHide(const std::vector<int64_t>& counts);

}  // namespace onecard::server
