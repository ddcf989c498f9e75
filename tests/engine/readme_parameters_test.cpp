// README's table of arguments and options says what the parameter table
// says: every key once, its values and its default.
#include "nst/parameters.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace nst {
namespace {

std::vector<std::string> cells(const std::string &line) {
  std::vector<std::string> out;
  std::stringstream in(line.substr(1));
  std::string cell;
  while (std::getline(in, cell, '|')) {
    const std::size_t first = cell.find_first_not_of(' ');
    const std::size_t last = cell.find_last_not_of(' ');
    out.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
  }
  return out;
}

TEST(Readme, ArgumentTableMatchesTheParameterTable) {
  const char *source = std::getenv("NST_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "NST_SOURCE_DIR is not set";
  std::ifstream readme(std::string(source) + "/README.md");
  ASSERT_TRUE(readme) << "cannot read README.md";

  // Rows "| `key` | values | default | ... |".
  std::map<std::string, std::vector<std::string>> rows;
  std::string line;
  while (std::getline(readme, line)) {
    if (line.rfind("| `", 0) != 0)
      continue;
    const std::vector<std::string> row = cells(line);
    const std::string key = row[0].substr(1, row[0].size() - 2);
    if (find_parameter(key)) {
      EXPECT_TRUE(rows.emplace(key, row).second) << key << " appears twice";
    }
  }
  const Settings defaults;
  for (const Parameter &p : parameters()) {
    const std::string values = expected_values(p);
    const std::string default_value = parameter_text(p, defaults);
    const std::string wanted = std::string("| `") + p.key + "` | " + values + " | " +
                               (default_value.empty() ? "(empty)" : default_value) + " |";
    auto found = rows.find(p.key);
    ASSERT_NE(found, rows.end()) << "README lacks the row " << wanted;
    ASSERT_GE(found->second.size(), 3u) << wanted;
    EXPECT_EQ(found->second[1], values) << "README's row should start " << wanted;
    EXPECT_EQ(found->second[2], default_value.empty() ? "(empty)" : default_value)
        << "README's row should start " << wanted;
  }
}

} // namespace
} // namespace nst
