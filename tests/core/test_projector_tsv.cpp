// Embedding Projector TSV files (core/data/projector_tsv.h): what the Projector accepts loads, and
// every malformed file is refused with FILE:LINE and what is wrong.
#include <doctest/doctest.h>

#include <string>

#include "core/data/projector_tsv.h"
#include "core/memory_budget.h"

using namespace lab::core;

namespace {
bool has(const Status& s, const std::string& part) { return s.message.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("projector tsv: vectors and metadata with a header load as labelled points") {
  Mat x;
  // CRLF, a trailing blank line, spaces around numbers: as exported by the Projector and by Python.
  REQUIRE(projector_vectors_parse("0.5\t-1\t2e-1\r\n3\t4\t5\r\n6\t7\t8.25\r\n1\t1\t1\n\n", "v.tsv", x).ok);
  CHECK(x.rows() == 4);
  CHECK(x.cols() == 3);
  CHECK(x(0, 0) == 0.5f);
  CHECK(x(0, 2) == doctest::Approx(0.2));
  CHECK(x(2, 2) == 8.25f);
  ProjectorMetadata m;
  REQUIRE(projector_metadata_parse("word\tcategory\tid\ncat\tanimal\t1\nred\tcolour\t2\ndog\tanimal\t3\nblue\tcolour\t4\n",
                                   "m.tsv", x.rows(), m)
              .ok);
  REQUIRE(m.header.size() == 3);
  CHECK(m.header[1] == "category");
  CHECK(m.columns[0][2] == "dog");
  // The colouring column: the first with 2-50 distinct values, fewer than its rows: "word" and "id"
  // name every point apart, "category" groups them.
  CHECK(projector_default_column(m) == 1);
  LabeledData d;
  REQUIRE(projector_labeled(x, &m, "category", d).ok);
  CHECK(d.labels == std::vector<int32_t>{0, 1, 0, 1});  // first appearance: animal 0, colour 1
  CHECK(d.label_text[3] == "colour");
  const Status bad = projector_labeled(x, &m, "genre", d);
  CHECK_FALSE(bad.ok);
  CHECK(has(bad, "no column 'genre'"));
  CHECK(has(bad, "word, category, id"));
}

TEST_CASE("projector tsv: a one-column metadata file has no header, without metadata one group") {
  Mat x;
  REQUIRE(projector_vectors_parse("1\t2\n3\t4\n5\t6\n", "v.tsv", x).ok);
  ProjectorMetadata m;
  REQUIRE(projector_metadata_parse("a\nb\na\n", "m.tsv", 3, m).ok);
  CHECK(m.header == std::vector<std::string>{"label"});
  CHECK(m.columns[0] == std::vector<std::string>{"a", "b", "a"});
  LabeledData d;
  REQUIRE(projector_labeled(x, nullptr, "", d).ok);
  CHECK(d.labels == std::vector<int32_t>{0, 0, 0});
  CHECK(d.label_text[0] == "all");
  // One label line too many: the message suspects a header in a one-column file.
  const Status st = projector_metadata_parse("label\na\nb\na\n", "m.tsv", 3, m);
  CHECK_FALSE(st.ok);
  CHECK(has(st, "m.tsv: 4 rows of metadata but 3 vectors"));
  CHECK(has(st, "has no header line"));
}

TEST_CASE("projector tsv: bad files are refused naming FILE:LINE") {
  Mat x;
  Status st = projector_vectors_parse("1\t2\n3\t4\t5\n", "v.tsv", x);
  CHECK(has(st, "v.tsv:2: expected 2 values (as on line 1), found 3"));
  st = projector_vectors_parse("1\t2\n3\tcat\n", "v.tsv", x);
  CHECK(has(st, "v.tsv:2: column 2: 'cat' is not a number"));
  st = projector_vectors_parse("1\t2\n3\tNaN\n", "v.tsv", x);
  CHECK(has(st, "v.tsv:2: column 2: 'NaN' is not a finite number"));
  st = projector_vectors_parse("1\t2\n\n3\t4\n", "v.tsv", x);
  CHECK(has(st, "v.tsv:2: the line is empty"));
  st = projector_vectors_parse("1,2,3\n4,5,6\n", "v.tsv", x);
  CHECK(has(st, "v.tsv:1: one field"));
  CHECK(has(st, "tabs"));
  st = projector_vectors_parse("\n\r\n", "v.tsv", x);
  CHECK(has(st, "v.tsv: no vectors"));
  CHECK(x.size() == 0);
  ProjectorMetadata m;
  st = projector_metadata_parse("a\tb\n1\t2\n3\n", "m.tsv", 2, m);
  CHECK(has(st, "m.tsv:3: expected 2 tab-separated fields"));
}

TEST_CASE("projector tsv: a file over the memory budget gets the budget's message, not an allocation") {
  // 1,000,000 dimensions on the first line: a few rows of that are over the 256 MiB budget. The text
  // is 2 MB; what the parse would hold is checked before each row is stored.
  std::string line;
  for (int j = 0; j < 1000000; ++j) line += j ? "\t0" : "0";
  line += '\n';
  std::string text;
  for (int r = 0; r < 20; ++r) text += line;
  Mat x;
  const Status st = projector_vectors_parse(text, "big.tsv", x);
  CHECK_FALSE(st.ok);
  CHECK(has(st, "big.tsv:"));
  CHECK(has(st, "over the lab's 256 MiB memory budget"));
  CHECK(x.size() == 0);
}

TEST_CASE("projector tsv: file names route drops") {
  CHECK(projector_is_tsv_name("Vectors.TSV"));
  CHECK(projector_is_metadata_name("rec-mf-movie-metadata.tsv"));
  CHECK(projector_is_metadata_name("metadata.tsv"));
  CHECK_FALSE(projector_is_metadata_name("vectors.tsv"));
  CHECK(projector_is_csv_name("digits.csv"));
  CHECK_FALSE(projector_is_csv_name("lesson.md"));
}
