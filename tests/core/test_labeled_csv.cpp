#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/data/labeled_csv.h"

using namespace lab::core;

TEST_CASE("labeled csv: header detected, CRLF, comments, integer and text labels") {
  LabeledData d;
  REQUIRE(labeled_csv_parse("label,a,b\r\n1, 0.5,2\r\n\r\n# note\n3,-1e2,4\n", d));
  CHECK(d.had_header);
  CHECK(d.x.rows() == 2);
  CHECK(d.x.cols() == 2);
  CHECK(d.x(0, 0) == 0.5f);
  CHECK(d.x(1, 0) == -100.0f);
  CHECK(d.labels == std::vector<int32_t>{1, 3});
  CHECK(d.feature_names == std::vector<std::string>{"a", "b"});

  REQUIRE(labeled_csv_parse("cat,1,2\ndog,3,4\ncat,5,6", d));
  CHECK_FALSE(d.had_header);
  CHECK(d.labels == std::vector<int32_t>{0, 1, 0});
  CHECK(d.label_text[1] == "dog");
  CHECK(d.feature_names == std::vector<std::string>{"f1", "f2"});
}

TEST_CASE("labeled csv: malformed rows name their line and column") {
  LabeledData d;
  CsvError where;
  Status s = labeled_csv_parse("label,a,b\n1,2,3\n4,5\n", d, &where);
  CHECK_FALSE(s.ok);
  CHECK(where.line == 3);
  CHECK(s.message.find("expected 3 fields") != std::string::npos);
  CHECK(s.message.find("found 2") != std::string::npos);

  s = labeled_csv_parse("1,2,3\n4,5,x7\n", d, &where);
  CHECK_FALSE(s.ok);
  CHECK(where.line == 2);
  CHECK(where.column == 3);
  CHECK(s.message.find("'x7' is not a number") != std::string::npos);

  s = labeled_csv_parse("1,2,3\n4,nan,7\n", d, &where);
  CHECK_FALSE(s.ok);
  CHECK(where.line == 2);
  CHECK(where.column == 2);
  CHECK(s.message.find("not a finite number") != std::string::npos);

  s = labeled_csv_parse("1,2,3\n,5,6\n", d, &where);
  CHECK_FALSE(s.ok);
  CHECK(where.line == 2);
  CHECK(s.message.find("label") != std::string::npos);

  CHECK_FALSE(labeled_csv_parse("label,a\n\n", d).ok);
  CHECK_FALSE(labeled_csv_parse("", d).ok);
  CHECK_FALSE(labeled_csv_parse("1\n2\n", d).ok);
  CHECK_FALSE(labeled_csv_parse("1,1e999\n", d).ok);  // overflows to inf
}

TEST_CASE("digits: the shipped UCI digits load as 1797 x 64 with labels 0-9") {
  std::ifstream f(std::string("assets/") + kDigitsFile, std::ios::binary);
  REQUIRE(f.good());  // tests run from the repository root
  std::stringstream text;
  text << f.rdbuf();
  LabeledData d;
  REQUIRE(digits_parse(text.str(), d));
  CHECK(d.x.rows() == 1797);
  CHECK(d.x.cols() == 64);
  CHECK(d.had_header);
  CHECK(d.labels[0] == 0);
  CHECK(d.labels[1796] == 8);
  CHECK(d.x.maxCoeff() == 16);
  CHECK(d.x.minCoeff() == 0);
  CHECK(d.x(0, 2) == 5);  // first image, third pixel (sklearn's load_digits().data[0, 2])
  std::vector<int> per_class(10, 0);
  for (int32_t l : d.labels) ++per_class[l];
  CHECK(per_class[0] == 178);
  CHECK(per_class[5] == 182);
  CHECK_FALSE(digits_parse("label,a,b\n1,2,3\n", d).ok);
  std::string bad = "label";
  for (int i = 0; i < 64; ++i) bad += ",p" + std::to_string(i);
  bad += "\n12";
  for (int i = 0; i < 64; ++i) bad += ",0";
  CHECK(digits_parse(bad, d).message.find("expected 0-9") != std::string::npos);
}
