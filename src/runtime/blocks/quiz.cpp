// "quiz": a multiple-choice question with an explanation, checked in place.
#include "runtime/blocks/blocks.h"
#include "runtime/text.h"

namespace lab::runtime {

std::vector<Metric> QuizExperiment::metrics() const {
  return {{"choices", double(choices.size())}, {"answered_right", checked_choice == answer ? 1.0 : 0.0}};
}

static std::unique_ptr<Experiment> make_quiz(const BlockConfig& c) {
  auto e = std::make_unique<QuizExperiment>();
  e->question = c.text("question");
  const std::string& all = c.text("choices");
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find('|', start);
    if (end == std::string::npos) end = all.size();
    const std::string_view ch = trim(std::string_view(all).substr(start, end - start));
    if (!ch.empty()) e->choices.emplace_back(ch);
    start = end + 1;
  }
  e->answer = c.integer("answer") - 1;
  e->explanation = c.text("explanation");
  return e;
}

static core::Status validate_quiz(const BlockConfig& c) {
  const auto quiz = make_quiz(c);
  const auto& q = static_cast<const QuizExperiment&>(*quiz);
  if (q.choices.size() < 2) return core::Status::error("a quiz needs at least two choices separated by |");
  if (q.answer < 0 || q.answer >= int(q.choices.size()))
    return core::Status::error("'answer: " + std::to_string(q.answer + 1) + "' but there are only " +
                               std::to_string(q.choices.size()) + " choices");
  return {};
}

BlockKind& block_kind_quiz() {
  static BlockKind k{
      "quiz",
      "A multiple-choice question",
      {
          {"question", ParamType::Text, "the question", 0, 0, 0, {}, "Which is true?"},
          {"choices", ParamType::Text, "the answers, separated by |", 0, 0, 0, {}, "yes | no"},
          {"answer", ParamType::Int, "number of the right answer (1 = first)", 1, 1, 20},
          {"explanation", ParamType::Text, "shown after checking", 0, 0, 0, {}, ""},
      },
      {
          {"choices", "number of answers offered"},
          {"answered_right", "1 once the student checked the right answer (always 0 headless)"},
      },
      make_quiz,
      validate_quiz,
  };
  return k;
}

}  // namespace lab::runtime
