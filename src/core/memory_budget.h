// The lab's one memory budget, and the check every size a lesson, a URL knob or a file can request
// goes through BEFORE anything is allocated.
//
// Why: the web build's heap is at most 1 GiB (-sMAXIMUM_MEMORY in web/lab_web.cmake), 32-bit, and
// shared by everything on the page: fonts, ImGui's draw lists, the lesson text, the loaded data and
// every experiment of the current step. The page is built without C++ exceptions, so a failed
// allocation (std::bad_alloc) aborts it. A too-large request must therefore become a Status with a
// sentence the lesson shows in place of the block (the CLI prints it), never an attempt to allocate.
//
// The budget: one structure, or one set of structures that are allocated together (a model's weights,
// gradients and optimiser state; t-SNE's probabilities; a parsed file) may take at most
// kMemoryBudgetBytes = 256 MiB, a quarter of the heap (the same figure as the model-parameter budget
// in nn/tensor.h, which is this one). An experiment holds a few such sets; where a block kind's
// parameter ranges already keep a size far below the budget, a comment at the allocation says so.
// Files read whole are capped at kFileBytesMax = 64 MiB: parsing turns text into several times its
// size (numbers as doubles, strings, index tables), and the text plus all of that must fit the budget.
//
// Sizes are products computed in double, so a request such as 10^6 x 10^6 x 4 bytes is just a large
// number: it cannot wrap around to a small one, as int32/int64/size_t products can.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/status.h"

namespace lab::core {

constexpr int64_t kWasmHeapBytes = int64_t(1) << 30;          // -sMAXIMUM_MEMORY=1073741824
constexpr int64_t kMemoryBudgetBytes = kWasmHeapBytes / 4;     // 256 MiB per structure / file
constexpr int64_t kFileBytesMax = kMemoryBudgetBytes / 4;      // 64 MiB: a file read whole

// bytes_per_element * the product of dims, in double (never wraps; a negative or NaN dim gives NaN,
// which memory_check rejects).
double memory_bytes(std::initializer_list<double> dims, double bytes_per_element);

// "9000 x 9000" (each number printed in full, no exponent).
std::string memory_shape(std::initializer_list<double> dims);

// "648 MiB", "1.5 GiB", "3.6 TiB", "512 KiB", "12 bytes".
std::string memory_format(double bytes);

// The budget in force: kMemoryBudgetBytes, unless this process raised it. Only the native command
// line does (`embedlab tsne --memory-budget 2GiB`: a 64-bit process on a computer whose memory the
// user knows, e.g. t-SNE of all 70,000 Fashion-MNIST images); the lab's lessons and the page never
// do, so a lesson checked natively meets the same limits as in the browser.
int64_t memory_budget();
// Sets it: at least kMemoryBudgetBytes, and in WebAssembly at most that (its heap is 1 GiB).
Status memory_budget_set(int64_t bytes);
// Puts the budget back as it was when it goes out of scope (a command that raised it for itself).
class MemoryBudgetScope {
 public:
  MemoryBudgetScope() = default;
  MemoryBudgetScope(const MemoryBudgetScope&) = delete;
  MemoryBudgetScope& operator=(const MemoryBudgetScope&) = delete;
  ~MemoryBudgetScope() { (void)memory_budget_set(saved_); }

 private:
  int64_t saved_ = memory_budget();
};
// "2GiB", "900MiB", "1.5GiB", "512KiB" or a number of bytes; false if not a size.
bool memory_size_parse(std::string_view text, int64_t& bytes);

// True when 0 <= bytes <= memory_budget() (false for NaN).
bool memory_fits(double bytes);

// Ok when 0 <= bytes <= memory_budget(). Otherwise an error such as
//   "t-SNE (exact): a 9000 x 9000 matrix of pairwise probabilities needs 2.0 GiB, over the lab's
//    256 MiB memory budget; use Barnes-Hut (method bh) or at most 3100 points"
// built as "<what>: <need> needs <bytes>, over the lab's 256 MiB memory budget; <hint>" (need may be
// empty: "<what> needs <bytes>, ..."; hint may be empty).
Status memory_check(double bytes, std::string_view what, std::string_view need, std::string_view hint);

}  // namespace lab::core
