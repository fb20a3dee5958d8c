// CTest gets the suite's cases one per line from `lab_tests --list-test-cases` (doctest's
// doctest_discover_tests) and keeps them in a CMake list, which splits at ';'. A case named "a; b"
// became two CTest tests, "a" and " b", each matching no case: they ran nothing and passed (40 cases
// did so natively and under ASan until this check). Names may hold commas: discovery escapes them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

TEST_CASE("test names: no case name holds a semicolon (CTest would split it into tests that run nothing)") {
  const std::filesystem::path root = std::filesystem::path(LAB_SOURCE_DIR) / "tests";
  const std::regex name(R"re(TEST_CASE\("([^"]*)")re");
  int files = 0, cases = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".cpp") continue;
    ++files;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (std::sregex_iterator it(s.begin(), s.end(), name), end; it != end; ++it) {
      ++cases;
      const std::string n = (*it)[1].str();
      CHECK_MESSAGE(n.find(';') == std::string::npos, entry.path().string() << ": \"" << n << "\"");
    }
  }
  CHECK(files > 50);    // the scan found the suite
  CHECK(cases > 250);
}
