// The error cell key perturbation adds to the officials' counts (docs/disclosure-control.md):
// for true counts from 1 to 10,000, over random cell keys (a cell key is uniform: the sum of
// uniform record keys), the mean and largest absolute error, the relative error, and how often a
// count is shown exactly, shown at all (published 5 or more) or suppressed.
//
//   onecard_cell_key_error [--keys N]     (default 1,000,000 keys per count)

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>

#include "cell_key.h"

int main(int argc, char** argv) {
  long keys = 1'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--keys") == 0) keys = std::atol(argv[i + 1]);
  }
  if (keys <= 0) {
    std::fprintf(stderr, "usage: onecard_cell_key_error [--keys N]\n");
    return 2;
  }
  std::mt19937 rng(20261101);
  std::printf("%8s %10s %9s %9s %11s %9s %9s %11s\n", "true n", "mean err", "mean |e|", "max |e|",
              "mean |e|/n", "exact", "shown", "suppressed");
  for (int64_t n : {1, 2, 3, 4, 5, 6, 8, 10, 20, 50, 100, 1000, 10000}) {
    double sum = 0, sum_abs = 0;
    long max_abs = 0, exact = 0, shown = 0;
    for (long k = 0; k < keys; ++k) {
      const std::optional<int64_t> published =
          onecard::server::PublishCount({n, static_cast<uint32_t>(rng())});
      if (!published) continue;
      ++shown;
      const long error = static_cast<long>(*published - n);
      sum += static_cast<double>(error);
      sum_abs += std::abs(static_cast<double>(error));
      max_abs = std::max(max_abs, std::labs(error));
      exact += error == 0;
    }
    const double shown_d = static_cast<double>(std::max(shown, 1L));
    const double keys_d = static_cast<double>(keys);
    std::printf("%8lld %10.3f %9.3f %9ld %10.3f%% %8.1f%% %8.1f%% %10.1f%%\n",
                static_cast<long long>(n), sum / shown_d, sum_abs / shown_d, max_abs,
                100.0 * sum_abs / shown_d / static_cast<double>(n),
                100.0 * static_cast<double>(exact) / keys_d,
                100.0 * static_cast<double>(shown) / keys_d,
                100.0 * static_cast<double>(keys - shown) / keys_d);
  }
  std::printf("(errors of the counts shown; a suppressed count is shown as \"<5\")\n");
  return 0;
}
