// Shared by the tests that need MovieLens-100k files: a small data set in the real formats (u.data
// tab-separated with 1-based ids, u.item with 24 '|'-separated fields, u.user "id|age|gender|
// occupation|zip"), `users` x `items`, each user rating `per_user` distinct movies (per_user <= items / 3).
#pragma once

#include <string>

namespace lab::test {

struct MovieLensText {
  std::string data, item, user;
};

inline MovieLensText movielens_text(int users, int items, int per_user) {
  MovieLensText m;
  for (int u = 1; u <= users; ++u) {
    m.user += std::to_string(u) + "|" + std::to_string(20 + u) + "|" + (u % 3 ? "M" : "F") + "|student|1000" +
              std::to_string(u % 10) + "\n";
    for (int k = 0; k < per_user; ++k) {
      const int i = 1 + (u * 7 + k * 3) % items;
      const int r = 1 + (u + i) % 5;
      m.data += std::to_string(u) + "\t" + std::to_string(i) + "\t" + std::to_string(r) + "\t" +
                std::to_string(880000000 + u * 100 + k) + "\n";
    }
  }
  for (int i = 1; i <= items; ++i) {
    m.item += std::to_string(i) + "|Movie " + std::to_string(i) + " (1995)|01-Jan-1995||http://x|";
    for (int g = 0; g < 19; ++g) m.item += std::string(g == i % 19 ? "1" : "0") + (g < 18 ? "|" : "\n");
  }
  return m;
}

}  // namespace lab::test
