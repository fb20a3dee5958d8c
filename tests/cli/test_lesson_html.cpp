// `embedlab lesson html`: a lesson's text as static HTML, for browsers that cannot run the lab.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/cli_test_util.h"
#include "core/data/zip.h"
#include "runtime/lesson.h"
#include "runtime/lesson_html.h"

using namespace lab;
using lab::test::read_file;
using lab::test::run_cli;
using lab::test::temp_path;
using lab::test::write_file;

TEST_CASE("lesson html: every step's heading and prose, each block named with its knobs, text escaped") {
  const runtime::Lesson l = runtime::lesson_parse(
      "---\ntitle: Cats & <dogs>\nlang: de\n---\n## First step\nSome **bold** text and a [link](https://example.org).\n\n"
      "```lab random-cosine\ntitle: Random <vectors>\nknob dim\n```\n## Second\nA list:\n\n- one\n- two\n",
      "lessons/zz-html.md");
  REQUIRE(!l.has_errors());
  const std::string h = runtime::lesson_static_html(l, 0xcbf43926u);
  CHECK(h.find("<article class=\"lesson-text\" lang=\"de\" data-lesson=\"zz-html\" data-source-crc32=\"cbf43926\">") == 0);
  CHECK(h.find("<h2>Cats &amp; &lt;dogs&gt;</h2>") != std::string::npos);
  CHECK(h.find("<h3>Step 1 of 2: First step</h3>") != std::string::npos);
  CHECK(h.find("<h3>Step 2 of 2: Second</h3>") != std::string::npos);
  CHECK(h.find("<strong>bold</strong>") != std::string::npos);
  CHECK(h.find("<a href=\"https://example.org\">link</a>") != std::string::npos);
  CHECK(h.find("<li>two</li>") != std::string::npos);
  CHECK(h.find("Lab: Random &lt;vectors&gt;</strong> (random-cosine; knobs: dim)") != std::string::npos);
  CHECK(h.find("<vectors>") == std::string::npos);
  CHECK(h.find("<script") == std::string::npos);
}

TEST_CASE("lesson html: the command writes DIR/NAME.html per lesson, and a broken lesson still gets its text and exit 1") {
  const std::string dir = temp_path("lesson_html");
  std::filesystem::remove_all(dir);
  const std::string good = temp_path("good.md"), broken = temp_path("broken.md");
  write_file(good, "---\ntitle: Good\n---\n## Only\nReadable text.\n");
  write_file(broken, "---\ntitle: Broken\n---\n## Only\nStill readable.\n\n```lab no-such-kind\n```\n");
  CHECK(run_cli({"lesson", "html", "--out", dir, good}) == 0);
  const std::string id = std::filesystem::path(good).stem().string();
  const std::string text = read_file(dir + "/" + id + ".html");
  CHECK(text.find("<h3>Step 1 of 1: Only</h3>") != std::string::npos);
  CHECK(text.find("Readable text.") != std::string::npos);
  char crc[9];  // the file's own bytes, as scripts/lesson-index.mjs checks them
  std::snprintf(crc, sizeof crc, "%08x", unsigned(core::crc32(read_file(good))));
  CHECK(text.find(std::string("data-source-crc32=\"") + crc + "\"") != std::string::npos);
  CHECK(run_cli({"lesson", "html", "--out", dir, broken}) == 1);
  CHECK(read_file(dir + "/" + std::filesystem::path(broken).stem().string() + ".html").find("Still readable.") != std::string::npos);
  CHECK(run_cli({"lesson", "html", good}) == 2);            // no --out
  CHECK(run_cli({"lesson", "html", "--out", dir}) == 2);    // no file
  CHECK(run_cli({"lesson", "html", "--frob", "--out", dir, good}) == 2);
  std::filesystem::remove_all(dir);
  std::filesystem::remove(good);
  std::filesystem::remove(broken);
}
